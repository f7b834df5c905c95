#!/usr/bin/env python3
"""Measure the PWA: app shell transfer size (gzipped) and offline boot-to-scan-ready time in headless Chromium.

Targets: shell < 150 KB gzipped excluding the zxing .wasm; offline boot to scan-ready < 1 s.
Runs against the test double in tests/pwa/fake_server.py until the real server exists.
"""
from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

from pwa.precache import build_precache_manifest  # noqa: E402

STATIC = ROOT / "pwa" / "static"
RUNS = 7


def shell_sizes() -> dict:
    """Raw and gzipped bytes of every precached file, split into shell and the decoder wasm."""
    sizes = {"shell_raw": 0, "shell_gz": 0, "wasm_raw": 0, "wasm_gz": 0, "files": 0}
    for entry in build_precache_manifest(STATIC):
        data = (STATIC / entry["url"][len("/static/"):]).read_bytes()
        kind = "wasm" if entry["url"].endswith(".wasm") else "shell"
        sizes[f"{kind}_raw"] += len(data)
        sizes[f"{kind}_gz"] += len(gzip.compress(data, compresslevel=6))
        sizes["files"] += 1
    for name in ("sw.js", "precache-manifest.js"):   # fetched by the browser on install/update too
        data = (STATIC / name).read_bytes()
        sizes["shell_raw"] += len(data)
        sizes["shell_gz"] += len(gzip.compress(data, compresslevel=6))
    return sizes


def scan_ready_times() -> list[float]:
    """Milliseconds from navigation start to scan-ready (camera on, decoder loaded), offline, service worker in charge."""
    from playwright.sync_api import sync_playwright

    from conftest import launch
    from fake_server import FakeServer
    from helpers import login_and_sync, reload_controlled

    times = []
    with FakeServer() as server, sync_playwright() as p:
        browser = launch(p, ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"])
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=server.url)
        page = context.new_page()
        login_and_sync(page, server)
        reload_controlled(page)
        context.set_offline(True)
        server.state.api_down = True
        for _ in range(RUNS):
            page.goto(server.url + "/scan")
            page.wait_for_selector("[data-scan-ready=true]", timeout=20000)
            times.append(page.evaluate("performance.getEntriesByName('xj-scan-ready')[0].startTime"))
        context.close()
        browser.close()
    return times


def main() -> None:
    s = shell_sizes()
    print(f"precached files: {s['files']}")
    print(f"app shell (excl. wasm): {s['shell_raw'] / 1024:.1f} KB raw, {s['shell_gz'] / 1024:.1f} KB gzipped (target < 150 KB)")
    print(f"zxing_reader.wasm:      {s['wasm_raw'] / 1024:.1f} KB raw, {s['wasm_gz'] / 1024:.1f} KB gzipped (precached once)")
    times = scan_ready_times()
    print(f"offline boot -> scan-ready over {len(times)} runs: median {statistics.median(times):.0f} ms, "
          f"min {min(times):.0f} ms, max {max(times):.0f} ms (target < 1000 ms)")


if __name__ == "__main__":
    main()
