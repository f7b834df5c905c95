"""Timing of the year's assessment (both forms, every point with its records) on a synthetic
contract year: the province's 99 bureaus, a daily check on most working days, monthly
inspections, 30 quarterly visits a quarter, many faults with steps, assessment events.

Built through the services (faults, events) and the ORM (visits, inspections: the coverage
rows follow by the flush hooks) into a separate database; then assess(2025) is called
through the API's test client and timed.

    python bench/assessment.py [--db sqlite|postgresql|both] [--faults 1000] [--events 200] [--calls 20]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402

from bench.common import make_app  # noqa: E402

SQLITE_PATH = "/tmp/xj_assessment_bench.db"
PG_ADMIN = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
PG_NAME = "xj_assessment_bench"
CST = timezone(timedelta(hours=8))
NOW = datetime(2026, 1, 5, 4, 0, tzinfo=UTC)
PASSWORD = "bench-password-1"


def fresh_database(kind: str) -> str:
    if kind == "sqlite":
        Path(SQLITE_PATH).unlink(missing_ok=True)
        return f"sqlite:///{SQLITE_PATH}"
    admin = sa.create_engine(PG_ADMIN, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{PG_NAME}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{PG_NAME}"'))
    admin.dispose()
    return f"postgresql+psycopg://postgres@127.0.0.1:5432/{PG_NAME}"


def _visit(user, site, kind, started, device):
    from server.extensions import db
    from server.models import Inspection, Visit

    row = Visit(
        uuid=str(uuid.uuid4()),
        user_id=user.id,
        client_time=started,
        content_hash="0" * 64,
        site_id=site.id,
        inspection_kind=kind,
        started_at=started,
        finished_at=started + timedelta(minutes=30),
        summary="ok",
    )
    db.session.add(row)
    db.session.flush()
    db.session.add(
        Inspection(
            uuid=str(uuid.uuid4()),
            user_id=user.id,
            client_time=started,
            content_hash="0" * 64,
            visit_id=row.id,
            visit_uuid=row.uuid,
            device_id=device.id if device else None,
            tag=device.tag if device else "GZTEST01",
            inspection_kind=kind,
            outcome="pass",
        )
    )


def build(n_faults: int, n_events: int) -> None:
    from server.extensions import db
    from server.services.assessment import events
    from server.services.calendar.workdays import working_days
    from server.services.core import devices, reference, users
    from server.services.faults import lifecycle as fault_service
    from server.services.plans import plans

    rng = random.Random(7)
    sites = {s.code: s for s in reference.seed_regions_and_sites()}
    rooms = reference.seed_rooms(list(sites.values()))
    reference.seed_device_types()
    engineer = users.create_user("eng", "Eng", "engineer", PASSWORD)
    supervisor = users.create_user("sup", "Sup", "supervisor", PASSWORD)
    device = devices.create_device(type_code="L09", room_id=rooms[("520000", "main_conference")].id)
    for month in range(1, 13):
        plans.create_daily_plan(f"2025-{month:02d}", seed=month)
    days = working_days(date(2025, 1, 1), date(2025, 12, 31))
    for day in days:
        if rng.random() > 0.03:  # a few missed
            _visit(
                engineer,
                sites["520000"],
                "daily",
                datetime(day.year, day.month, day.day, 9, tzinfo=CST),
                device,
            )
    for month in range(1, 13):
        _visit(
            engineer, sites["520000"], "monthly", datetime(2025, month, 20, 14, tzinfo=CST), device
        )
    bureaus = [s for s in sites.values() if s.tier in ("province", "prefecture", "county")]
    for quarter in range(4):
        for site in rng.sample(bureaus, 30):
            _visit(
                engineer,
                site,
                "quarterly",
                datetime(2025, 3 * quarter + 2, 15, 10, tzinfo=CST),
                None,
            )
    db.session.flush()
    for _ in range(n_faults):
        at = datetime(2025, 1, 1, tzinfo=CST) + timedelta(minutes=rng.randrange(365 * 24 * 60))
        fault = fault_service.create_fault(
            tag=device.tag, description="x", user=engineer, reported_at=at
        )
        fault_service.add_step(
            fault, "responded", at + timedelta(minutes=rng.randrange(5, 90)), engineer
        )
        if rng.random() < 0.97:
            fault_service.add_step(
                fault,
                "resolved",
                at + timedelta(minutes=rng.randrange(30, 400)),
                engineer,
                resolution="y",
            )
    for n in range(n_events):
        events.create_event(
            form="av",
            item="attitude",
            rule="late_or_inaccurate",
            occurred_on=date(2025, 1, 1) + timedelta(days=n % 365),
            description="late",
            user=supervisor,
        )
    db.session.commit()


def measure(kind: str, args) -> None:
    from server.extensions import db
    from server.services.faults import lifecycle as fault_service

    url = fresh_database(kind)
    app = make_app(url)
    fault_service.current_time = lambda: NOW  # the bench's year is over
    with app.app_context():
        db.create_all()
        started = time.perf_counter()
        build(args.faults, args.events)
        built = time.perf_counter() - started
        client = app.test_client()
        client.post("/api/v1/auth/login", json={"username": "sup", "password": PASSWORD})
        times = []
        for _ in range(args.calls):
            t0 = time.perf_counter()
            answer = client.get("/api/v1/assessment?period=2025")
            times.append((time.perf_counter() - t0) * 1000)
            assert answer.status_code == 200, answer.get_json()
        body = answer.get_json()
        db.session.remove()
        db.engine.dispose()
    times.sort()
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    points = sum(
        len(x["deductions"]) + len(x["bonuses"]) for f in body["forms"] for x in f["lines"]
    )
    print(
        f"{kind}: year 2025 with {args.faults} faults, {args.events} events, {points} points: "
        f"p50 {statistics.median(times):.0f} ms, p95 {p95:.0f} ms over {args.calls} calls "
        f"(built in {built:.0f} s); totals {[f['total'] for f in body['forms']]}; "
        f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument("--faults", type=int, default=1000)
    parser.add_argument("--events", type=int, default=200)
    parser.add_argument("--calls", type=int, default=20)
    args = parser.parse_args()
    for kind in ("sqlite", "postgresql") if args.db == "both" else (args.db,):
        measure(kind, args)


if __name__ == "__main__":
    main()
