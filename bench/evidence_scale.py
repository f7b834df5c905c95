"""Evidence benchmarks, part two: the 2025 assessment through its API route (p50/p95, SQL
statements a call) and the report PDFs through the report service (registry.render_report, what
the endpoint and the handover job call), on two datasets, printed with the load average.

national: bench/coverage.py's generator and loader (3,000 bureaus, 100,000 devices, 20 quarters
of quarterly visits, times --scale) plus bench/evidence_year.py's 2025. demo: what
`xunjian seed --demo` loads (services/demo.py, then services/demo_year), as `make run` does.
Called by bench/evidence.py --case national|demo.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench import coverage, evidence_year  # noqa: E402

WORK = Path("/tmp/xj_evidence_scale")
DATABASES = {  # case -> (PostgreSQL database, SQLite file): not coverage.py's, which may be in use
    "national": ("xj_evidence_national", "/tmp/xj_evidence_national.db"),
    "demo": ("xj_evidence_demo", "/tmp/xj_evidence_demo.db"),
}
REPORTS = (("inspection_monthly", "2025-12"), ("sampling_quarterly", "2025Q4"))
COUNTED = (
    "site device visit inspection inspection_result visit_target visit_tally fault fault_step "
    "plan_entry assessment_event"
).split()


def counts(db) -> str:
    found = {t: db.session.scalar(sa.text(f'SELECT count(*) FROM "{t}"')) for t in COUNTED}
    return ", ".join(f"{table} {number:,}" for table, number in found.items())


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def statements_of(db, call) -> int:
    """How many SQL statements one call sends."""
    seen = []

    def count(*_):
        seen.append(1)

    sa.event.listen(db.engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa.event.remove(db.engine, "before_cursor_execute", count)
    return len(seen)


def measure(app, db, user: str, password: str, calls: int, runs: int) -> None:
    """The assessment of 2025 through the API (p50/p95, statements), then each report PDF."""
    from server.services.reports import registry

    client = app.test_client()
    answer = client.post("/api/v1/auth/login", json={"username": user, "password": password})
    assert answer.status_code == 200, answer.get_json()
    url = "/api/v1/assessment?period=2025"

    def get():
        response = client.get(url)
        assert response.status_code == 200, response.get_data()[:300]
        return response

    body = get().get_json()  # warm: first-call imports and caches
    statements = statements_of(db, get)
    print(f"  load average before timing: {load_average()}")
    times, cpu = [], []
    for _ in range(calls):
        t0, c0 = time.perf_counter(), time.process_time()
        get()
        times.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    points = sum(
        len(x["deductions"]) + len(x["bonuses"]) for f in body["forms"] for x in f["lines"]
    )
    print(
        f"  GET {url}: p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms, max "
        f"{ordered[-1]:.0f} ms over {calls} calls (this process's CPU: p50 "
        f"{statistics.median(cpu):.0f} ms); {statements} SQL statements a call; "
        f"{points} points, totals {[f['total'] for f in body['forms']]}; load {load_average()}"
    )
    if runs < 1:
        return
    registry.render_report("inspection_monthly", "2025-01")  # warm: fonts and templates
    for kind, period in REPORTS:
        wall, cpu, size = [], [], 0
        for _ in range(runs):
            t0, c0 = time.perf_counter(), time.process_time()
            size = len(registry.render_report(kind, period))
            wall.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
        print(
            f"  {kind} {period}: {statistics.median(wall):.2f} s wall (max {max(wall):.2f} s), "
            f"{statistics.median(cpu):.2f} s CPU over {runs} runs; {size / 1024:,.0f} KiB; "
            f"load {load_average()}"
        )


def configured(url: str):
    app = coverage.make_app(url)
    app.config["PHOTO_STORE"] = str(WORK / "photos")
    app.config["JOB_FILES"] = str(WORK / "jobs")
    return app


def run(case: str, kind: str, args) -> None:
    """Build (or with --reuse, keep) the case's database, then measure it."""
    coverage.PG_NAME, coverage.SQLITE_PATH = DATABASES[case]
    fresh = not args.reuse or (kind == "sqlite" and not Path(coverage.SQLITE_PATH).exists())
    url = coverage.fresh_database(kind) if fresh else coverage.existing_url(kind)
    WORK.mkdir(parents=True, exist_ok=True)
    app = configured(url)
    print(f"{case} ({kind}, scale {args.scale}), load average {load_average()}")
    with app.app_context():
        from server.extensions import db

        db.create_all()
        started = time.perf_counter()
        if case == "national":
            if fresh:
                coverage.build(db, kind, args.scale, random.Random(2026))
            if not db.session.scalar(sa.text("SELECT count(*) FROM fault")):
                evidence_year.add_year(
                    db, random.Random(2025), round(args.faults * args.scale), args.events
                )
            user, password = "bench", coverage.PASSWORD
        else:
            if fresh:
                seed_demo(db, args.scale)
            user, password = "supervisor", "zhuguan-demo-2026"
        print(f"  built in {time.perf_counter() - started:.0f} s: {counts(db)}")
        measure(app, db, user, password, args.calls, args.runs)
        db.session.remove()
        db.engine.dispose()


def seed_demo(db, scale: float) -> None:
    """What `xunjian seed --demo` loads: the demo province and the simulated 2025."""
    from server.services import demo_year
    from server.services.demo import seed_demo as seed_province

    seed_province()
    options = demo_year.Options.scaled(scale) if scale < 1 else demo_year.Options()
    demo_year.seed_demo_year(options)
    db.session.commit()
