#!/usr/bin/env python3
"""Where an offline cold boot's main-thread time goes: a Chrome trace of bench/pwa.py's boots, CPU throttled.

The same phone as bench/pwa.py (demo engineer's pack in IndexedDB, service worker in charge, network
cut, real server stopped), one fresh page per boot, traced from the browser's own CDP session. Printed
per screen, median over the runs: the renderer main thread's wall and thread (CPU) time from the
navigation to the screen's mark, and its self time by trace event (module compile and evaluation, the
HTML parser, style, layout, IndexedDB callbacks ...), the largest first; with --urls, script time by URL.

    python bench/pwa_trace.py [--rate 4] [--runs 3] [--top 25] [--urls] [--save trace.json]
"""

from __future__ import annotations

import argparse
import collections
import importlib.util
import json
import statistics
from pathlib import Path

# bench/pwa.py by its path: the name `pwa` is the project's package (pwa/precache.py)
_spec = importlib.util.spec_from_file_location("bench_pwa", Path(__file__).with_name("pwa.py"))
bench_pwa = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(bench_pwa)
SCREENS, offline_phone = bench_pwa.SCREENS, bench_pwa.offline_phone

CATEGORIES = ",".join(
    [
        "devtools.timeline",
        "disabled-by-default-devtools.timeline",
        "blink.user_timing",
        "loading",
        "v8",
        "v8.execute",
        "blink",
        "toplevel",
        "ServiceWorker",
    ]
)


def _trace(context, browser_cdp, url: str, ready: str, rate: int) -> list[dict]:
    """One traced cold boot of `url` in a fresh page: the trace's events."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    chunks: list[dict] = []
    done = []
    browser_cdp.on("Tracing.dataCollected", lambda e: chunks.extend(e["value"]))
    browser_cdp.on("Tracing.tracingComplete", lambda e: done.append(True))
    browser_cdp.send(
        "Tracing.start", {"traceConfig": {"includedCategories": CATEGORIES.split(",")}}
    )
    try:
        page.goto(url)
        page.wait_for_selector(ready, timeout=30000)
        page.wait_for_timeout(200)  # let the mark's trace event flush
    finally:
        browser_cdp.send("Tracing.end")
        while not done:
            page.wait_for_timeout(50)
        cdp.detach()
        page.close()
    return chunks


def _main_thread(events: list[dict], mark: str) -> tuple[int, int] | None:
    """(pid, tid) of the renderer main thread that recorded `mark`."""
    for e in events:
        if e.get("name") == mark and e.get("cat", "").startswith("blink.user_timing"):
            return e["pid"], e["tid"]
    return None


def analyse(events: list[dict], mark: str) -> dict:
    """The main thread's wall/thread time from navigationStart to `mark` and self time by event name."""
    where = _main_thread(events, mark)
    if not where:
        return {}
    pid, tid = where
    mine = [e for e in events if e.get("pid") == pid and e.get("tid") == tid]
    starts = [e["ts"] for e in mine if e.get("name") == "navigationStart"]
    end = max(e["ts"] for e in mine if e.get("name") == mark)
    start = max((s for s in starts if s <= end), default=min(e["ts"] for e in mine))
    spans = sorted(
        (e for e in mine if e.get("ph") == "X" and start <= e["ts"] <= end and "dur" in e),
        key=lambda e: (e["ts"], -e["dur"]),
    )
    self_time: dict = collections.Counter()
    by_url: dict = collections.Counter()
    stack: list[list] = []  # [end_ts, name, child_total, dur, url]
    busy = thread = 0.0

    def close(item):
        self_time[item[1]] += item[3] - item[2]
        if item[4]:
            by_url[item[4]] += item[3] - item[2]

    for e in spans:
        while stack and stack[-1][0] <= e["ts"]:
            close(stack.pop())
        if stack:
            stack[-1][2] += e["dur"]
        else:
            busy += e["dur"]
            thread += e.get("tdur", 0)
        args = e.get("args", {})
        data = args.get("data", {}) if isinstance(args.get("data"), dict) else {}
        url = data.get("url") or args.get("fileName") or ""
        if not url and stack:
            url = stack[-1][4]
        stack.append([e["ts"] + e["dur"], e["name"], 0, e["dur"], url])
    while stack:
        close(stack.pop())
    return {
        "wall": (end - start) / 1000,
        "busy": busy / 1000,
        "thread": thread / 1000,
        "self": {k: v / 1000 for k, v in self_time.items()},
        "urls": {k: v / 1000 for k, v in by_url.items()},
    }


def _profile(context, url: str, ready: str, rate: int) -> dict:
    """One cold boot under the V8 sampling profiler: the page's JS self time (ms) by function and URL."""
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
    cdp.send("Profiler.enable")
    cdp.send("Profiler.setSamplingInterval", {"interval": 200})
    cdp.send("Profiler.start")
    try:
        page.goto(url)
        page.wait_for_selector(ready, timeout=30000)
        profile = cdp.send("Profiler.stop")["profile"]
    finally:
        cdp.detach()
        page.close()
    nodes = {n["id"]: n for n in profile["nodes"]}
    deltas = dict(zip(profile["samples"], [0] * len(profile["samples"])))
    times: dict = collections.Counter()
    for sample, delta in zip(profile["samples"], profile["timeDeltas"]):
        deltas[sample] = deltas.get(sample, 0) + delta
        frame = nodes[sample]["callFrame"]
        where = frame["url"].rsplit("/static/", 1)[-1] or "(native)"
        times[f"{frame['functionName'] or '(anonymous)'} {where}:{frame['lineNumber'] + 1}"] += (
            delta / 1000
        )
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=int, default=4)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--urls", action="store_true")
    parser.add_argument("--save")
    parser.add_argument("--js", action="store_true", help="JS self time by function (V8 profiler)")
    args = parser.parse_args()
    with offline_phone() as (context, base_url, _):
        browser_cdp = context.browser.new_browser_cdp_session()
        for name, path, ready, mark in SCREENS:
            if args.js:
                _profile(context, base_url + path, ready, args.rate)  # warm the caches
                total: dict = collections.Counter()
                for _ in range(args.runs):
                    total.update(_profile(context, base_url + path, ready, args.rate))
                print(f"\n== {name} at {args.rate}x: JS self time by function, mean of {args.runs}")
                for where, ms in total.most_common(args.top):
                    print(f"  {ms / args.runs:7.1f} ms  {where}")
                continue
            _trace(context, browser_cdp, base_url + path, ready, args.rate)  # warm the caches
            results = []
            for i in range(args.runs):
                events = _trace(context, browser_cdp, base_url + path, ready, args.rate)
                if args.save and i == 0:
                    Path(f"{args.save}.{name}.json").write_text(json.dumps(events))
                results.append(analyse(events, mark))
            results = [r for r in results if r]
            if not results:
                print(f"{name}: no mark {mark} in the trace")
                continue
            med = lambda key, rs=results: statistics.median(r[key] for r in rs)  # noqa: E731
            print(
                f"\n== {name} at {args.rate}x, median of {len(results)}: navigation -> {mark} "
                f"{med('wall'):.0f} ms wall, main thread busy {med('busy'):.0f} ms, "
                f"thread CPU {med('thread'):.0f} ms"
            )
            names = collections.Counter()
            for r in results:
                names.update(r["self"])
            for event, total in names.most_common(args.top):
                print(f"  {total / len(results):7.1f} ms  {event}")
            if args.urls:
                urls = collections.Counter()
                for r in results:
                    urls.update(r["urls"])
                print("  -- self time by URL")
                for url, total in urls.most_common(args.top):
                    print(f"  {total / len(results):7.1f} ms  {url.replace(base_url, '')}")


if __name__ == "__main__":
    main()
