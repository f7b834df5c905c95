"""Presence timings: the review queue's presence filter (the flag rules in SQL over every current
inspection, its visit and site) and the device page's inspections with their flags, on
bench/coverage.py's synthetic dataset given site points, visit positions (every 50th ~5.5 km
off) and tag sources (3 % typed), in a database of its own.

    python bench/presence.py [--scale 0.1] [--db sqlite|postgresql|both] [--calls 10]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench import coverage  # noqa: E402
from bench.common import make_app  # noqa: E402

coverage.SQLITE_PATH = "/tmp/xj_presence_bench.db"  # not the coverage bench's database
coverage.PG_NAME = "xj_presence_bench"

POSITIONS = [
    "UPDATE site SET lat = (SELECT lat FROM region WHERE region.code = site.region_code), "
    "lon = (SELECT lon FROM region WHERE region.code = site.region_code)",
    # Within ~600 m of the site, every 50th visit 0.05 degrees (~5.5 km) north.
    "UPDATE visit SET accuracy_m = 20, "
    "lat = (SELECT lat FROM site WHERE site.id = visit.site_id) + ((id % 7) - 3) * 0.001 "
    "+ CASE WHEN id % 50 = 0 THEN 0.05 ELSE 0 END, "
    "lon = (SELECT lon FROM site WHERE site.id = visit.site_id) + ((id % 5) - 2) * 0.001",
    "UPDATE inspection SET tag_source = CASE WHEN id % 33 = 0 THEN 'typed' "
    "WHEN id % 8 = 0 THEN 'list' ELSE 'camera' END",
]


def build(db, kind: str, scale: float) -> None:
    from server.services.core import reference, users

    db.create_all()
    reference.seed_device_types()
    users.create_user("bench", "Bench", "supervisor", coverage.PASSWORD)
    for n in range(4):
        users.create_user(f"eng{n}", f"Engineer {n}", "engineer", coverage.PASSWORD)
    db.session.commit()
    started = time.perf_counter()
    coverage.load(db, coverage.generate(scale, random.Random(2026)))
    for statement in POSITIONS:
        db.session.execute(sa.text(statement))
    db.session.commit()
    coverage.analyze(db)
    print(f"{kind}: built in {time.perf_counter() - started:.1f} s")


def _timed(client, url: str, calls: int) -> tuple[list[float], dict]:
    client.get(url)  # warm-up
    times, body = [], None
    for _ in range(calls):
        started = time.perf_counter()
        answer = client.get(url)
        times.append(time.perf_counter() - started)
        assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
    return times, body


def _line(label: str, times: list[float]) -> str:
    ms = sorted(t * 1000 for t in times)
    return f"  {label}: median {statistics.median(ms):.0f} ms, max {ms[-1]:.0f} ms"


def bench(kind: str, scale: float, calls: int) -> None:
    app = make_app(coverage.fresh_database(kind))
    with app.app_context():
        from server.extensions import db

        build(db, kind, scale)
        count = db.session.scalar(sa.text("SELECT count(*) FROM inspection"))
        tag = db.session.scalar(sa.text("SELECT tag FROM inspection ORDER BY id LIMIT 1"))
        client = app.test_client()
        client.post("/api/v1/auth/login", json={"username": "bench", "password": coverage.PASSWORD})
        queue, page = _timed(client, "/api/v1/review/records?kind=presence&per_page=50", calls)
        clock, _ = _timed(client, "/api/v1/review/records?kind=clock&per_page=50", calls)
        device, _ = _timed(client, f"/api/v1/inspections?tag={tag}&per_page=10", calls)
        load = os.getloadavg()[0]
        print(f"{kind}: {count:,} inspections, {page['total']:,} with a presence flag")
        print(_line("GET /review/records?kind=presence (count + 50 rows)", queue))
        print(_line("GET /review/records?kind=clock (the same scan without the flags)", clock))
        print(_line("GET /inspections?tag= (10 rows with flags)", device))
        print(f"  load average {load:.1f} on {os.cpu_count()} cores")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.1)
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=10)
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        bench(kind, args.scale, args.calls)


if __name__ == "__main__":
    main()
