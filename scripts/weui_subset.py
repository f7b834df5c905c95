#!/usr/bin/env python3
"""Write pwa/static/vendor/weui/weui.field.css: the rules of the vendored WeUI the field app uses.

The field app uses a handful of WeUI classes (buttons, a cell, a check label, a textarea); the whole
stylesheet is 188 KB with about 950 custom properties set on <body>, which a slow phone parses and
carries through every style recalculation at boot (docs/pwa.md, Boot path). The subset keeps, from
weui.min.css (untouched, the source; its licence banner is kept at the top):

- every rule whose selector names no WeUI class (the base rules, the theme variables' holders),
- every selector whose WeUI classes are all used by the field app (pwa/static/js, index.html, css/),
- only the custom properties (--weui-*) those rules reach through var(), transitively,
- the @media/@supports blocks around them and the @keyframes they name.

Run it after changing which WeUI classes the app uses; tests/pwa/test_weui_subset.py fails until then.
tinycss2 comes with weasyprint (a server dependency).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import tinycss2

STATIC = Path(__file__).resolve().parent.parent / "pwa" / "static"
SOURCE = STATIC / "vendor" / "weui" / "weui.min.css"
SUBSET = STATIC / "vendor" / "weui" / "weui.field.css"
WEUI_CLASS = re.compile(r"\.(weui-[A-Za-z0-9_-]+)")
USED_CLASS = re.compile(r"\bweui-[A-Za-z0-9_-]+")
VAR = re.compile(r"var\(\s*(--[A-Za-z0-9_-]+)")
CUSTOM = re.compile(r"^\s*(--[A-Za-z0-9_-]+)\s*:")
ANIMATION = re.compile(r"animation(?:-name)?\s*:\s*([^;]+)")


def used_classes() -> set[str]:
    """Every weui-* class named in the field app's code, shell and own stylesheet."""
    files = [*(STATIC / "js").rglob("*.js"), STATIC / "index.html", *(STATIC / "css").glob("*.css")]
    return {name for path in files for name in USED_CLASS.findall(path.read_text())}


def _keep_selector(selector: str, used: set[str]) -> bool:
    return all(name in used for name in WEUI_CLASS.findall(selector))


def _rules(nodes, used: set[str]) -> list[tuple[str, list]]:
    """[(prelude, declarations | nested)] of the rules kept, in order; nested for @media/@supports."""
    kept = []
    for node in nodes:
        if node.type == "qualified-rule":
            selectors = [s.strip() for s in tinycss2.serialize(node.prelude).split(",")]
            selectors = [s for s in selectors if _keep_selector(s, used)]
            if selectors:
                decls = [
                    d.strip() for d in tinycss2.serialize(node.content).split(";") if d.strip()
                ]
                kept.append((",".join(selectors), decls))
        elif node.type == "at-rule" and node.lower_at_keyword in ("media", "supports"):
            inner = _rules(tinycss2.parse_rule_list(node.content, skip_whitespace=True), used)
            if inner:
                kept.append((f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}", inner))
        elif node.type == "at-rule" and node.lower_at_keyword.endswith("keyframes"):
            kept.append((f"@{node.at_keyword}{tinycss2.serialize(node.prelude)}", node))
    return kept


def _walk(rules):
    for prelude, body in rules:
        if isinstance(body, list) and body and isinstance(body[0], tuple):
            yield from _walk(body)
        elif isinstance(body, list):
            yield prelude, body


def _needed(rules) -> tuple[set[str], set[str]]:
    """The custom properties reached from the kept non-custom declarations, and the animations."""
    defined: dict[str, list[str]] = {}
    roots, animations = [], set()
    for _, decls in _walk(rules):
        for decl in decls:
            custom = CUSTOM.match(decl)
            if custom:
                defined.setdefault(custom.group(1), []).append(decl)
            else:
                roots.append(decl)
                for names in ANIMATION.findall(decl):
                    animations.update(re.findall(r"[A-Za-z_][A-Za-z0-9_-]*", names))
    needed, todo = set(), [v for d in roots for v in VAR.findall(d)]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo.extend(v for d in defined.get(name, []) for v in VAR.findall(d))
    return needed, animations


def _emit(rules, needed: set[str], animations: set[str]) -> str:
    out = []
    for prelude, body in rules:
        if not isinstance(body, list):  # @keyframes
            name = tinycss2.serialize(body.prelude).strip()
            if name in animations:
                out.append(f"{prelude}{{{tinycss2.serialize(body.content).strip()}}}")
        elif body and isinstance(body[0], tuple):
            inner = _emit(body, needed, animations)
            if inner:
                out.append(f"{prelude}{{{inner}}}")
        else:
            decls = [d for d in body if not CUSTOM.match(d) or CUSTOM.match(d).group(1) in needed]
            if decls:
                out.append(f"{prelude}{{{';'.join(decls)}}}")
    return "".join(out)


def subset_css(source: str, used: set[str]) -> str:
    """The subset's text: the source's licence banner, then the kept rules."""
    banner = source[: source.index("*/") + 2] if source.startswith("/*") else ""
    rules = _rules(
        tinycss2.parse_stylesheet(source, skip_whitespace=True, skip_comments=True), used
    )
    needed, animations = _needed(rules)
    note = (
        "\n/* The field app's subset of the file above (pwa/static/vendor/weui/weui.min.css),"
        " written by scripts/weui_subset.py: do not edit by hand. */\n"
    )
    return banner + note + _emit(rules, needed, animations) + "\n"


def main() -> int:
    text = subset_css(SOURCE.read_text(), used_classes())
    SUBSET.write_text(text)
    print(
        f"{SUBSET.relative_to(STATIC.parent.parent)}: {len(text)} bytes (from {SOURCE.stat().st_size})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
