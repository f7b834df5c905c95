#!/usr/bin/env python3
"""Measure the PWA: app shell transfer size (gzipped) and offline boot-to-scan-ready time in headless Chromium.

Targets: shell < 150 KB gzipped excluding the zxing .wasm; offline boot to scan-ready < 1 s.
Boot is measured against the real server (tests/live_server.py: a migrated SQLite file with the demo
province, `python -m tests.live_runner` on a free port) with the engineer's whole field pack on the phone.
"""

from __future__ import annotations

import gzip
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

from pwa.precache import build_precache_manifest, render_manifest_js  # noqa: E402

STATIC = ROOT / "pwa" / "static"
RUNS = 7


def shell_sizes() -> dict:
    """Raw and gzipped bytes of every precached file, split into shell and the decoder wasm."""
    sizes = {"shell_raw": 0, "shell_gz": 0, "wasm_raw": 0, "wasm_gz": 0, "files": 0}
    for entry in build_precache_manifest(STATIC):
        data = (STATIC / entry["url"][len("/static/") :]).read_bytes()
        kind = "wasm" if entry["url"].endswith(".wasm") else "shell"
        sizes[f"{kind}_raw"] += len(data)
        sizes[f"{kind}_gz"] += len(gzip.compress(data, compresslevel=6))
        sizes["files"] += 1
    # fetched by the browser on install/update too; the manifest is computed by the server, never on disk
    for data in (
        (STATIC / "sw.js").read_bytes(),
        render_manifest_js(build_precache_manifest(STATIC)).encode(),
    ):
        sizes["shell_raw"] += len(data)
        sizes["shell_gz"] += len(gzip.compress(data, compresslevel=6))
    return sizes


def scan_ready_times() -> tuple[list[float], int]:
    """Milliseconds from navigation start to scan-ready (camera on, decoder loaded), offline, service worker
    in charge, demo province pack in IndexedDB; and the pack's JSON size."""
    import tempfile

    from helpers import reload_controlled, sign_in
    from playwright.sync_api import sync_playwright

    from server.services.demo import DEMO_USERS
    from tests.chromium import launch
    from tests.live_server import LiveServer, database_url, prepare_database

    times = []
    with tempfile.TemporaryDirectory() as tmp:
        url, drop = database_url(Path(tmp))
        prepare_database(url, demo=True)
        server = LiveServer(Path(tmp), url).start()
        try:
            password = next(u[3] for u in DEMO_USERS if u[0] == "engineer")
            pack_bytes = len(
                server.client().login("engineer", password).get("/api/v1/sync/pull").body
            )
            with sync_playwright() as p:
                browser = launch(
                    p, ["--use-fake-device-for-media-stream", "--use-fake-ui-for-media-stream"]
                )
                context = browser.new_context(
                    locale="zh-CN", viewport={"width": 390, "height": 844}
                )
                context.grant_permissions(["camera"], origin=server.base_url)
                page = context.new_page()
                sign_in(page, server, "engineer", password)
                reload_controlled(page)
                context.set_offline(True)
                server.stop()  # offline for real: nothing answers
                for _ in range(RUNS):
                    page.goto(server.base_url + "/scan")
                    page.wait_for_selector("[data-scan-ready=true]", timeout=20000)
                    times.append(
                        page.evaluate("performance.getEntriesByName('xj-scan-ready')[0].startTime")
                    )
                context.close()
                browser.close()
        finally:
            server.stop()
            drop()
    return times, pack_bytes


def main() -> None:
    s = shell_sizes()
    print(f"precached files: {s['files']}")
    print(
        f"app shell (excl. wasm): {s['shell_raw'] / 1024:.1f} KB raw, {s['shell_gz'] / 1024:.1f} KB gzipped (target < 150 KB)"
    )
    print(
        f"zxing_reader.wasm:      {s['wasm_raw'] / 1024:.1f} KB raw, {s['wasm_gz'] / 1024:.1f} KB gzipped (precached once)"
    )
    times, pack_bytes = scan_ready_times()
    print(f"engineer's field pack (demo province): {pack_bytes / 1024:.1f} KB JSON")
    print(
        f"offline boot -> scan-ready over {len(times)} runs: median {statistics.median(times):.0f} ms, "
        f"min {min(times):.0f} ms, max {max(times):.0f} ms (target < 1000 ms)"
    )


if __name__ == "__main__":
    main()
