#!/usr/bin/env python3
"""Print the precache manifest the server computes at /static/precache-manifest.js (never written to the tree)."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa.precache import build_precache_manifest, render_manifest_js  # noqa: E402

if __name__ == "__main__":
    sys.stdout.write(render_manifest_js(build_precache_manifest(ROOT / "pwa" / "static")))
