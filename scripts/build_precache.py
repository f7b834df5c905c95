#!/usr/bin/env python3
"""Write pwa/static/precache-manifest.js (the service worker's content-hashed file list)."""
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pwa.precache import write_precache_manifest  # noqa: E402

if __name__ == "__main__":
    print(write_precache_manifest(ROOT / "pwa" / "static"))
