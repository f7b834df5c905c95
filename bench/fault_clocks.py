"""Time the supervisor's month and quarter views over a busy year of faults; prints figures.

Usage: PYTHONPATH=. python bench/fault_clocks.py [faults=1200] [database URL, default in-memory SQLite]
"""

from __future__ import annotations

import random
import sys
import time
from datetime import UTC, datetime, timedelta


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 1200
    url = sys.argv[2] if len(sys.argv) > 2 else "sqlite://"
    from server import create_app
    from server.config import TestConfig
    from server.extensions import db

    class BenchConfig(TestConfig):
        SQLALCHEMY_DATABASE_URI = url

    app = create_app(BenchConfig)
    with app.app_context():
        db.drop_all()
        db.create_all()
        user, tags = _seed(count)
        db.session.commit()
        _measure(app, user, count, tags)
        db.session.remove()
        db.drop_all()


def _seed(count: int):
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Device, User
    from server.services.demo import seed_demo
    from server.services.faults import lifecycle as faults

    seed_demo()
    user = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    tags = db.session.scalars(sa.select(Device.tag).where(Device.status == "in_service")).all()
    rng = random.Random(7)
    start = datetime(2026, 1, 1, tzinfo=UTC)
    faults.current_time = lambda: datetime(2027, 1, 1, tzinfo=UTC)
    for _ in range(count):
        reported = start + timedelta(minutes=rng.randrange(365 * 24 * 60))
        fault = faults.create_fault(
            tag=rng.choice(tags),
            description="bench",
            user=user,
            reported_at=reported,
            urgent_meeting=rng.random() < 0.1,
        )
        at = reported + timedelta(minutes=rng.randrange(90))
        faults.add_step(fault, "diagnosing", at, user)
        if rng.random() < 0.96:
            faults.add_step(
                fault,
                "resolved",
                at + timedelta(minutes=rng.randrange(400)),
                user,
                resolution="bench fix",
            )
    return user, tags


def _timed(label: str, func, repeat: int = 5) -> None:
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - began)
    print(f"{label:<44} {best * 1000:8.1f} ms (best of {repeat})")


def _measure(app, user, count: int, tags) -> None:
    from server import periods
    from server.services.faults import reports as fault_reports

    m_start, m_end = periods.month_span(2026, 6).start, periods.month_span(2026, 6).end
    q_start, q_end = periods.quarter_span(2026, 2).start, periods.quarter_span(2026, 2).end
    print(f"{count} faults over 2026, demo province ({len(tags)} units in service)")
    _timed("stats, one month (service)", lambda: fault_reports.stats(m_start, m_end))
    _timed("stats, one quarter (service)", lambda: fault_reports.stats(q_start, q_end))
    _timed("breaches, one month (service)", lambda: fault_reports.breaches(m_start, m_end))
    client = app.test_client()
    client.post(
        "/api/v1/auth/login", json={"username": "supervisor", "password": "zhuguan-demo-2026"}
    )
    _timed(
        "GET /faults?month=2026-06&per_page=200",
        lambda: client.get("/api/v1/faults?month=2026-06&per_page=200"),
    )
    _timed(
        "GET /faults/stats?quarter=2026-Q2",
        lambda: client.get("/api/v1/faults/stats?quarter=2026Q2"),
    )
    _timed("GET /spares", lambda: client.get("/api/v1/spares"))
    rate = fault_reports.stats(q_start, q_end)["resolution"]
    print(f"2026Q2: {rate['reported']} faults, resolution rate {rate['rate']:.3f}")


if __name__ == "__main__":
    main()
