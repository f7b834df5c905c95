"""The code's shape: no import circles in server/ (counting the imports inside functions), none
between the feature packages of server/services/, no module over 300 lines, roles declared in
one place (server/security.py)."""

from __future__ import annotations

import ast
from pathlib import Path

from server import security

SERVER = Path(__file__).resolve().parents[2] / "server"
ROLE_NAMES = set(security.ROLES)
MAX_LINES = 300
ROLE_HOME = {SERVER / "security.py", SERVER / "services" / "demo.py"}  # demo: the seed's users


def _modules():
    return sorted(p for p in SERVER.rglob("*.py") if p not in ROLE_HOME)


def _role_literals(tree: ast.AST):
    """Tuples, lists or sets of role names, and role names passed to roles_required."""
    for node in ast.walk(tree):
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)) and len(node.elts) > 1:
            values = [e.value for e in node.elts if isinstance(e, ast.Constant)]
            if len(values) == len(node.elts) and set(values) <= ROLE_NAMES:
                yield node.lineno, values
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "roles_required":
            values = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if values:
                yield node.lineno, values


def test_roles_and_role_groups_are_declared_only_in_security():
    found = [
        f"{path.relative_to(SERVER.parent)}:{line} {values}"
        for path in _modules()
        for line, values in _role_literals(ast.parse(path.read_text()))
    ]
    assert found == []


def test_the_role_groups_are_made_of_roles():
    groups = [
        security.ANY_ROLE,
        security.FIELD_ROLES,
        security.MANAGER_ROLES,
        security.ADMIN_ROLES,
        security.AUDIT_READERS,
    ]
    assert all(set(group) <= ROLE_NAMES for group in groups)


def _module_names() -> dict[str, Path]:
    names = {}
    for path in SERVER.rglob("*.py"):
        parts = list(path.relative_to(SERVER.parent).with_suffix("").parts)
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return names


def _import_graph() -> dict[str, set[str]]:
    """Module -> the server modules it imports anywhere (top level or inside a function)."""
    names = _module_names()

    def known(name: str) -> str | None:
        while name and name not in names:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Import):
                targets = [known(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                targets = [
                    f"{node.module}.{a.name}"
                    if f"{node.module}.{a.name}" in names
                    else known(node.module)
                    for a in node.names
                ]
            else:
                continue
            graph[name].update(t for t in targets if t and t != name)
    return graph


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []
    for root in graph:
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    found.append(sorted(members))
    return found


def test_no_import_circles():
    assert _circles(_import_graph()) == []


def test_the_circle_finder_finds_a_circle():
    assert _circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_module_is_over_300_lines():
    long = {
        str(path.relative_to(SERVER.parent)): n
        for path in SERVER.rglob("*.py")
        if (n := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def _feature(module: str) -> str | None:
    """server.services.<feature>.<module> -> <feature>; None outside the feature packages."""
    parts = module.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["server", "services"] else None


def _feature_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for module, targets in _import_graph().items():
        if (feature := _feature(module)) is None:
            continue
        graph.setdefault(feature, set())
        graph[feature].update(f for t in targets if (f := _feature(t)) not in (None, feature))
    return graph


def test_the_feature_packages_are_found():
    assert {"core", "sync", "field", "coverage", "faults", "plans", "labelling"} <= set(
        _feature_graph()
    )


def test_no_import_circles_between_feature_packages():
    graph = _feature_graph()
    assert _circles({name: graph.get(name, set()) for name in graph}) == []


def test_core_and_sync_import_no_feature():
    """The two bottom layers: every feature may use them, they use none (record types and pack
    sections reach the sync engine through its registry, filled by services/record_types.py)."""
    graph = _feature_graph()
    assert graph["core"] == set()
    assert graph["sync"] <= {"core"}
