#!/usr/bin/env python3
"""Measure the PWA: app shell transfer size (gzipped) and offline boot-to-scan-ready time in headless Chromium.

Targets: shell < 150 KB gzipped excluding the zxing .wasm; offline cold boot to an interactive Today and
to scan-ready < 1 s, also with the CPU throttled 4x (Chrome DevTools `Emulation.setCPUThrottlingRate`: a
low-end Android phone). Boot is measured against the real server (tests/live_server.py: a migrated SQLite
file with the demo province) with the engineer's whole field pack on the phone, then the server stopped.
Each figure is the median of five cold boots (a fresh page each time; the service worker and IndexedDB
stay). The load average is printed beside them: other work on the machine slows the figures.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "pwa"))

from pwa.precache import build_precache_manifest, render_manifest_js  # noqa: E402

STATIC = ROOT / "pwa" / "static"
RUNS = 5
THROTTLE = 4
# Today is interactive once its data is rendered and painted: its mark (screens/today.js); the outbox
# counts row is there by then.
TODAY_READY = "[data-testid=outbox-counts]"
TODAY_MARK = "xj-today-ready"
SCAN_READY = "[data-scan-ready=true]"


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


def _boot_ms(
    context, url: str, ready: str, mark: str | None, rate: int
) -> tuple[float, int, float]:
    """One cold boot in a fresh page (no warm JS heap), CPU throttled `rate` times: milliseconds from
    navigation start to `mark` (a performance mark) or, without one, to `ready` appearing; the scripts
    fetched by then; and the main thread's busy time (CDP TaskDuration, ms: less sensitive to load)."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    cdp.send("Performance.enable")
    try:
        page.goto(url)
        page.wait_for_selector(ready, timeout=30000)
        busy = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
        at = f"performance.getEntriesByName('{mark}')[0].startTime" if mark else "performance.now()"
        ms, scripts = page.evaluate(
            f"[{at}, performance.getEntriesByType('resource')"
            ".filter((r) => r.initiatorType === 'script' || r.name.endsWith('.js')).length]"
        )
        return ms, scripts, busy.get("TaskDuration", 0) * 1000
    finally:
        cdp.detach()
        page.close()


@contextlib.contextmanager
def offline_phone():
    """A Chromium context whose phone signed in as the demo engineer (whole field pack in IndexedDB,
    service worker in charge), then the network cut and the real server stopped: yields (context,
    base URL, the pack's JSON size). bench/pwa_trace.py boots the same phone under a trace."""
    import tempfile

    from phone import Phone
    from playwright.sync_api import sync_playwright

    from server.services.demo import DEMO_USERS
    from tests.chromium import launch
    from tests.live_server import LiveServer, database_url, prepare_database

    with tempfile.TemporaryDirectory() as tmp:
        url, drop = database_url(Path(tmp))
        prepare_database(url, demo=True)
        # the demo: its users keep their published passwords (no required change at sign-in)
        server = LiveServer(Path(tmp), url, env={"XUNJIAN_DEMO": "1"}).start()
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
                phone = Phone.of(context, server).sign_in("engineer", password)
                phone.go_offline(context)
                server.stop()  # offline for real: nothing answers
                phone.page.close()
                yield context, server.base_url, pack_bytes
                context.close()
                browser.close()
        finally:
            server.stop()
            drop()


SCREENS = (
    ("today", "/", TODAY_READY, TODAY_MARK),
    ("scan", "/scan", SCAN_READY, "xj-scan-ready"),
)


def boot_times() -> tuple[dict, int]:
    """Median-able lists of offline cold-boot milliseconds, {(screen, rate): [ms...]}, service worker in
    charge, demo province pack in IndexedDB, server stopped; and the pack's JSON size."""
    times: dict = {}
    with offline_phone() as (context, base_url, pack_bytes):
        for rate in (1, THROTTLE):
            for name, path, ready, mark in SCREENS:
                _boot_ms(context, base_url + path, ready, mark, rate)  # warm the caches
                times[(name, rate)] = [
                    _boot_ms(context, base_url + path, ready, mark, rate) for _ in range(RUNS)
                ]
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
    load = os.getloadavg()
    times, pack_bytes = boot_times()
    load_after = os.getloadavg()
    print(f"engineer's field pack (demo province): {pack_bytes / 1024:.1f} KB JSON")
    print(
        f"load average: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} before, "
        f"{load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f} after ({os.cpu_count()} CPUs)"
    )
    labels = {"today": "interactive Today", "scan": "scan-ready"}
    for (name, rate), runs in times.items():
        cpu = "unthrottled" if rate == 1 else f"CPU {rate}x slower"
        ms = [r[0] for r in runs]
        print(
            f"offline cold boot -> {labels[name]:17} {cpu:17} median of {len(runs)}: "
            f"{statistics.median(ms):5.0f} ms (min {min(ms):.0f}, max {max(ms):.0f}; target < 1000 ms); "
            f"{runs[0][1]} scripts, main thread busy {statistics.median(r[2] for r in runs):.0f} ms"
        )


if __name__ == "__main__":
    main()
