"""The app shell preloads exactly the boot module graph (main.js's static imports, transitively), so the
browser fetches it in one round instead of one level at a time (docs/pwa.md, Boot path)."""

from __future__ import annotations

import json
import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[2] / "pwa" / "static"
INDEX = STATIC / "index.html"
# Static imports and re-exports; dynamic import() (the lazy screens) is not matched on purpose.
IMPORT = re.compile(
    r"""^\s*(?:import|export)\s[^'"();]*?from\s*['"]([^'"]+)['"]|^\s*import\s*['"]([^'"]+)['"]""",
    re.M,
)


def import_map() -> dict[str, str]:
    text = INDEX.read_text()
    block = re.search(r'<script type="importmap">(.*?)</script>', text, re.S).group(1)
    return json.loads(block)["imports"]


def boot_graph() -> set[str]:
    """URLs (/static/...) of every module main.js loads before it runs."""
    imports, seen, todo = import_map(), set(), ["/static/js/main.js"]
    while todo:
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        for match in IMPORT.finditer((STATIC / url[len("/static/") :]).read_text()):
            spec = match.group(1) or match.group(2)
            if spec in imports:
                todo.append(imports[spec])
            elif spec.startswith("/"):
                todo.append(spec)
            else:
                base = url.rsplit("/", 1)[0]
                parts = []
                for part in f"{base}/{spec}".split("/"):
                    if part == "..":
                        parts.pop()
                    elif part not in ("", "."):
                        parts.append(part)
                todo.append("/" + "/".join(parts))
    return seen


def test_the_shell_preloads_the_boot_graph_and_nothing_else():
    preloaded = set(re.findall(r'<link rel="modulepreload" href="([^"]+)">', INDEX.read_text()))
    graph = boot_graph()
    assert not graph - preloaded, f"add to index.html: {sorted(graph - preloaded)}"
    assert not preloaded - graph, f"not in the boot graph any more: {sorted(preloaded - graph)}"


def test_the_lazy_screens_stay_out_of_the_boot_graph():
    graph = boot_graph()
    assert "/static/js/screens/today.js" in graph
    assert "/static/js/screens/scan.js" not in graph
    assert "/static/js/screens/checklist.js" not in graph


# Every module the field app can load, the lazy screens' dynamic import() too.
ANY_IMPORT = re.compile(r"""(?:\bfrom\s*|\bimport\s*\(?\s*)['"]([^'"\s]+)['"]""")


def field_app_graph() -> set[str]:
    """URLs of every module reachable from main.js, static or dynamic imports."""
    imports, seen, todo = import_map(), set(), ["/static/js/main.js"]
    while todo:
        url = todo.pop()
        if url in seen or not url.startswith("/static/"):
            continue
        seen.add(url)
        for spec in ANY_IMPORT.findall((STATIC / url[len("/static/") :]).read_text()):
            if spec in imports or spec.endswith((".js", ".mjs")):
                todo.append(imports.get(spec) or _resolve(url, spec))
    return seen


def _resolve(url: str, spec: str) -> str:
    if spec.startswith("/"):
        return spec
    parts: list[str] = []
    for part in f"{url.rsplit('/', 1)[0]}/{spec}".split("/"):
        if part == "..":
            parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/" + "/".join(parts)


def test_everything_the_field_app_loads_is_precached_and_office_only_modules_are_not():
    from pwa.precache import _OFFICE_ONLY_FILES, build_precache_manifest

    cached = {entry["url"] for entry in build_precache_manifest(STATIC)}
    graph = field_app_graph()
    assert "/static/js/screens/checklist.js" in graph  # a lazy screen: dynamic imports followed
    assert set(import_map().values()) & graph  # the import map's vendored modules too
    assert not graph - cached, f"the phone loads these, precache them: {sorted(graph - cached)}"
    office_only = {f"/static/{name}" for name in _OFFICE_ONLY_FILES}
    assert not graph & office_only, f"the phone imports these: {sorted(graph & office_only)}"
