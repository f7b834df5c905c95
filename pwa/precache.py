"""Content-versioned precache list for the service worker (no Flask needed)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

STATIC_URL_PREFIX = "/static/"
MANIFEST_NAME = "precache-manifest.js"
# Not precached: the worker itself and its manifest (the browser checks those on every update),
# licence texts and notes nobody loads at runtime, source maps.
_SKIP_NAMES = {"sw.js", MANIFEST_NAME, "VENDORED.md"}
_SKIP_PREFIXES = ("LICENSE",)
_SKIP_SUFFIXES = (".map", ".md")
# The online-only office pages: each a folder of pwa/static/ with its own index.html, served at
# /<name> (server/web.py), kept out of the offline cache here and out of the service worker's
# navigation route (sw.js reads them from the manifest below). The one list of them.
OFFICE_PAGES = (
    "dashboard",
    "coverage",
    "faults",
    "labels",
    "assessment",
    "reports",
    "handover",
    "devices",
    "registry",
    "people",
    "desk",
    "audit",
    "meetings",
    "review",
    "reminders",
    "fileimport",
)
# Who may open each (the roles of the page's main endpoint, checked against the permission
# matrix by tests/server/test_web.py): the shared top bar links only these. The server still
# enforces every call; this only keeps links to pages that would answer 403 out of the bar.
_EVERYONE = ("viewer", "engineer", "supervisor", "admin")
_READERS = ("viewer", "supervisor", "admin")
OFFICE_PAGE_ROLES = {
    "dashboard": _READERS,  # the office landing page (engineers land on the phone's Today)
    "coverage": _EVERYONE,
    "faults": _EVERYONE,
    "labels": ("supervisor", "admin"),
    "assessment": _READERS,
    "reports": _READERS,
    "handover": _READERS,
    "devices": _EVERYONE,
    "registry": _EVERYONE,
    "people": _EVERYONE,
    "desk": ("supervisor", "admin"),
    "audit": _READERS,
    # Engineers read only their own meetings there (the API filters); writes are managers'.
    "meetings": _EVERYONE,
    "review": ("supervisor", "admin"),
    "reminders": ("admin",),
    "fileimport": ("supervisor", "admin"),  # hand-over files of phones without network
}
# Shared modules of the office pages: served under /static but not part of the offline field app.
_OFFICE_SHARED = ("supervisor",)
_SKIP_DIRS = OFFICE_PAGES + _OFFICE_SHARED
# Shared core modules only the office pages import (the field app's graph never reaches them):
# online-only, like the pages themselves, so not in the phone's cache (the shell size target).
_OFFICE_ONLY_FILES = {
    "core/index.js",
    "core/charts.js",
    "core/dict/audit.js",
    "core/dict/dashboard.js",
    "core/dict/reminders.js",
}
# The whole vendored WeUI: the source scripts/weui_subset.py cuts the field app's weui.field.css from;
# no page links it, so the phone does not store 188 KB it never reads.
_SOURCE_ONLY_FILES = {"vendor/weui/weui.min.css"}


def _is_shell_file(path: Path) -> bool:
    """True for files the app needs offline."""
    name = path.name
    return (
        path.is_file()
        and name not in _SKIP_NAMES
        and not name.startswith(_SKIP_PREFIXES)
        and not name.endswith(_SKIP_SUFFIXES)
        and not name.startswith(".")
    )


def build_precache_manifest(static_dir: str | Path) -> list[dict]:
    """Return [{"url": "/static/...", "revision": sha256-prefix}] for every shell file, sorted by url."""
    root = Path(static_dir)
    entries = []
    for path in sorted(
        p
        for p in root.rglob("*")
        if _is_shell_file(p)
        and p.relative_to(root).parts[0] not in _SKIP_DIRS
        and p.relative_to(root).as_posix() not in _OFFICE_ONLY_FILES | _SOURCE_ONLY_FILES
    ):
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:20]
        entries.append(
            {"url": STATIC_URL_PREFIX + path.relative_to(root).as_posix(), "revision": digest}
        )
    return entries


def render_manifest_js(entries: list[dict]) -> str:
    """JavaScript the service worker imports: the list plus one version string derived from it."""
    version = hashlib.sha256(json.dumps(entries, sort_keys=True).encode()).hexdigest()[:12]
    return (
        "// Computed by the server (pwa/precache.py) from the files it serves. Never committed.\n"
        f"self.__XJ_VERSION = {json.dumps(version)};\n"
        f"self.__XJ_OFFICE_PAGES = {json.dumps(list(OFFICE_PAGES))};\n"
        f"self.__XJ_OFFICE_ROLES = {json.dumps(OFFICE_PAGE_ROLES)};\n"
        f"self.__XJ_PRECACHE = {json.dumps(entries, indent=1)};\n"
    )
