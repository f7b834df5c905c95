#!/usr/bin/env python3
"""Fetch the pinned front-end packages from npm and copy the files the PWA serves into pwa/static/vendor/.

Re-runnable: it wipes and rewrites each package's vendor folder and VENDORED.md.
Nothing is fetched at runtime; the app serves only these copies (no CDN).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STATIC_VENDOR = ROOT / "pwa" / "static" / "vendor"
TEST_VENDOR = ROOT / "tests" / "pwa" / "vendor"

# (npm package, exact version, destination folder, {source path in package: dest path}, why)
PACKAGES = [
    (
        "preact",
        "10.28.0",
        STATIC_VENDOR / "preact",
        {
            "dist/preact.module.js": "preact.module.js",
            "hooks/dist/hooks.module.js": "hooks.module.js",
        },
        "UI components (3 KB); hooks for state",
    ),
    (
        "htm",
        "3.1.1",
        STATIC_VENDOR / "htm",
        {"dist/htm.module.js": "htm.module.js"},
        "JSX-like tagged templates without a build step",
    ),
    (
        "idb",
        "8.0.4",
        STATIC_VENDOR / "idb",
        {"build/index.js": "index.js"},
        "Promise wrapper over IndexedDB",
    ),
    (
        "workbox-sw",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-sw.js": "workbox-sw.js"},
        "service-worker loader; modules come from modulePathPrefix",
    ),
    (
        "workbox-core",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-core.prod.js": "workbox-core.prod.js"},
        "required by every workbox module",
    ),
    (
        "workbox-precaching",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-precaching.prod.js": "workbox-precaching.prod.js"},
        "content-versioned precache of the app shell",
    ),
    (
        "workbox-routing",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-routing.prod.js": "workbox-routing.prod.js"},
        "NavigationRoute: deep links served from the cached shell",
    ),
    (
        "workbox-strategies",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-strategies.prod.js": "workbox-strategies.prod.js"},
        "NetworkOnly for the API",
    ),
    (
        "workbox-window",
        "7.4.1",
        STATIC_VENDOR / "workbox",
        {"build/workbox-window.prod.mjs": "workbox-window.prod.mjs"},
        "page side: registration, update banner, skipWaiting on request",
    ),
    (
        "zxing-wasm",
        "3.1.4",
        STATIC_VENDOR / "zxing-wasm",
        {
            "dist/es/reader/index.js": "es/reader/index.js",
            "dist/es/share.js": "es/share.js",
            "dist/reader/zxing_reader.wasm": "zxing_reader.wasm",
        },
        "QR decoding in a worker; wasm self-hosted via locateFile",
    ),
    (
        "weui",
        "2.6.26",
        STATIC_VENDOR / "weui",
        {"dist/style/weui.min.css": "weui.min.css"},
        "WeChat-style mobile CSS familiar to the engineers",
    ),
    (
        "axe-core",
        "4.11.4",
        TEST_VENDOR / "axe-core",
        {"axe.min.js": "axe.min.js"},
        "TEST ONLY: accessibility checks in the browser tests; never served",
    ),
]

LICENSE_NAMES = ("LICENSE", "LICENSE.txt", "LICENSE.md", "LICENCE", "license")


def npm_pack(name: str, version: str, workdir: Path) -> Path:
    """Download the exact tarball from the npm registry and unpack it; return the package folder."""
    out = subprocess.run(
        ["npm", "pack", f"{name}@{version}", "--json", "--silent"],
        cwd=workdir,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    tgz = workdir / json.loads(out)[0]["filename"]
    dest = workdir / f"{name}-{version}"
    dest.mkdir()
    with tarfile.open(tgz) as tar:
        tar.extractall(dest, filter="data")
    return dest / "package"


def copy_package(pkg: Path, name: str, dest: Path, files: dict[str, str]) -> tuple[str, list[str]]:
    """Copy the listed files plus the licence; return (licence id, copied file names)."""
    dest.mkdir(parents=True, exist_ok=True)
    for src, rel in files.items():
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(pkg / src, target)
    licence_file = next((pkg / n for n in LICENSE_NAMES if (pkg / n).exists()), None)
    if licence_file is None:
        sys.exit(f"{name}: no licence file in the package")
    shutil.copyfile(licence_file, dest / f"LICENSE.{name}")
    licence = json.loads((pkg / "package.json").read_text())["license"]
    return licence, [*files.values(), f"LICENSE.{name}"]


def write_table(rows: list[tuple[str, str, str, list[str], str, Path]]) -> None:
    """Write VENDORED.md: what is vendored, which version, under which licence, and why."""
    lines = [
        "# Vendored front-end files",
        "",
        "Written by `scripts/vendor_frontend.py` (re-run it to update; versions are pinned there).",
        "Served by the project itself: the app never loads anything from a CDN.",
        "",
        "| package | version | licence | folder | files | why |",
        "|---|---|---|---|---|---|",
    ]
    for name, version, licence, files, why, dest in rows:
        folder = dest.relative_to(ROOT).as_posix()
        lines.append(
            f"| {name} | {version} | {licence} | `{folder}` | {', '.join(files)} | {why} |"
        )
    (STATIC_VENDOR / "VENDORED.md").write_text("\n".join(lines) + "\n", encoding="utf-8")


def main() -> None:
    for folder in {dest for _, _, dest, _, _ in PACKAGES}:
        shutil.rmtree(folder, ignore_errors=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, dest, files, why in PACKAGES:
            pkg = npm_pack(name, version, Path(tmp))
            licence, copied = copy_package(pkg, name, dest, files)
            rows.append((name, version, licence, copied, why, dest))
            print(f"{name}@{version} ({licence}) -> {dest.relative_to(ROOT)}")
    write_table(rows)


if __name__ == "__main__":
    main()
