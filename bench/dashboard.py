"""The dashboard's one call (GET /api/v1/dashboard) timed on the demo year.

Seeds `seed --demo` (the province and the simulated 2025) into its own database unless it
holds data already, then calls the endpoint through the Flask test client as the demo
supervisor: once with today inside the demo year (the clock frozen at 2025-11-20 10:00 China
time: the daily check, open faults, the assessment projection and the last 12 months all have
data) and once at the real today with ?period=2025. The first call of each case is reported
apart (the coverage summaries are cached per data version).

    python bench/dashboard.py [--db sqlite|postgresql|both] [--calls 10] [--fresh]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.common import make_app  # noqa: E402

SQLITE_PATH = "/tmp/xj_dashboard_bench.db"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "xj_dashboard_bench"
FROZEN = datetime(2025, 11, 20, 10, 0, tzinfo=timezone(timedelta(hours=8))).astimezone(UTC)
SUPERVISOR = ("supervisor", "zhuguan-demo-2026")


def database(kind: str, fresh: bool) -> str:
    if kind == "sqlite":
        if fresh:
            Path(SQLITE_PATH).unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            sa.text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": PG_NAME}
        )
        if fresh and exists:
            conn.execute(sa.text(f'DROP DATABASE "{PG_NAME}" WITH (FORCE)'))
        if fresh or not exists:
            conn.execute(sa.text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def seed(app) -> None:
    from server.extensions import db
    from server.services import demo, demo_year
    from server.services.core import reference

    with app.app_context():
        db.create_all()
        if reference.is_seeded():
            return
        started = time.perf_counter()
        demo.seed_demo()
        db.session.commit()
        demo_year.seed_demo_year(demo_year.Options())
        db.session.commit()
        print(f"  seeded the demo year in {time.perf_counter() - started:.0f} s")


def timed(client, url: str, calls: int) -> tuple[float, list[float], list[float]]:
    """The first call's wall time, then each later call's wall and CPU time (ms): the CPU time
    stays honest on a busy machine."""
    wall, cpu = [], []
    for _ in range(calls + 1):
        started, used = time.perf_counter(), time.process_time()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - used) * 1000)
        assert response.status_code == 200, response.get_json()
    return wall[0], wall[1:], cpu[1:]


def run(kind: str, calls: int, fresh: bool) -> None:
    from server.services.faults import lifecycle

    app = make_app(database(kind, fresh))
    seed(app)
    client = app.test_client()
    answer = client.post("/api/v1/auth/login", json=dict(zip(("username", "password"), SUPERVISOR)))
    assert answer.status_code == 200, answer.get_json()
    real = lifecycle.current_time
    cases = [("now 2025-11-20, last 12 months", "/api/v1/dashboard", FROZEN)]
    cases.append(("real today, ?period=2025", "/api/v1/dashboard?period=2025", None))
    for name, url, frozen in cases:
        lifecycle.current_time = (lambda at=frozen: at) if frozen else real
        try:
            first, rest, cpu = timed(client, url, calls)
        finally:
            lifecycle.current_time = real
        print(
            f"  {kind:<10} {name:<32} first {first:7.0f} ms   "
            f"median {statistics.median(rest):6.0f} ms (CPU {statistics.median(cpu):4.0f} ms)   "
            f"max {max(rest):6.0f} ms ({calls} calls)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--calls", type=int, default=10)
    parser.add_argument("--fresh", action="store_true", help="seed a new database")
    args = parser.parse_args()
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        run(kind, args.calls, args.fresh)


if __name__ == "__main__":
    main()
