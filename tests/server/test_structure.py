"""The code's shape: roles declared in one place (server/security.py)."""
from __future__ import annotations

import ast
from pathlib import Path

from server import security

SERVER = Path(__file__).resolve().parents[2] / "server"
ROLE_NAMES = set(security.ROLES)
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
    found = [f"{path.relative_to(SERVER.parent)}:{line} {values}"
             for path in _modules() for line, values in _role_literals(ast.parse(path.read_text()))]
    assert found == []


def test_the_role_groups_are_made_of_roles():
    groups = [security.ANY_ROLE, security.FIELD_ROLES, security.MANAGER_ROLES,
              security.ADMIN_ROLES, security.AUDIT_READERS]
    assert all(set(group) <= ROLE_NAMES for group in groups)
