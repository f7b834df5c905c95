"""The national dataset's 2025 for bench/evidence_scale.py, on top of bench/coverage.py's
bureaus, devices and quarterly visits: the daily, monthly and quarterly plans (the planner), a
daily check of the province bureau on ~97 % of the working days, a monthly inspection a month,
faults with response and repair times (some breaching) with their steps, all with bulk Core
inserts, and a few assessment events through their service."""

from __future__ import annotations

import random
import time
import uuid
from datetime import UTC, date, datetime, timedelta, timezone

import sqlalchemy as sa

from bench import coverage

CST = timezone(timedelta(hours=8))
# A spread of response and repair minutes: most in time, some breaching (bands: 10/30/60/120 min
# for the response, 15 min and 2 h for the software form's SLA).
RESPONSE_MINUTES = (
    (0.80, 1, 10),
    (0.12, 11, 30),
    (0.05, 31, 60),
    (0.02, 61, 120),
    (0.01, 121, 300),
)
REPAIR_MINUTES = ((0.88, 20, 120), (0.09, 121, 600), (0.03, None, None))  # None: still open


def _minutes(rng: random.Random, bands) -> int | None:
    pick, total = rng.random(), 0.0
    for share, low, high in bands:
        total += share
        if pick <= total:
            return None if low is None else rng.randint(low, high)
    return None


def _record(user_id: int, at: datetime) -> dict:
    """What every field record carries (the models' datetime type wants aware UTC)."""
    at = at.astimezone(UTC)
    return {
        "uuid": str(uuid.uuid4()),
        "user_id": user_id,
        "client_time": at,
        "server_time": at,
        "content_hash": "0" * 64,
    }


def _visit(site_id: int, user_id: int, kind: str, at: datetime, summary: str) -> dict:
    row = _record(user_id, at)
    return row | {
        "site_id": site_id,
        "inspection_kind": kind,
        "started_at": row["client_time"],
        "finished_at": row["client_time"] + timedelta(hours=1),
        "summary": summary,
    }


def _field_work(db, rng: random.Random, province_id: int, engineer: int) -> tuple[int, int]:
    """Daily checks (~97 % of the working days, ten units each) and a monthly inspection a month
    (every unit; one in eight failing an item with two photos in December); (visits, rows)."""
    from bench.reports import _photo
    from server.models import Device, Inspection, InspectionResult, Room, Visit
    from server.services.calendar.workdays import working_days
    from server.services.coverage import targets

    own = db.session.execute(
        sa.select(Device.id, Device.tag).join(Room).where(Room.site_id == province_id)
    ).all()
    days = working_days(date(2025, 1, 1), date(2025, 12, 31))
    visits = [
        _visit(
            province_id, engineer, "daily", datetime(d.year, d.month, d.day, 9, tzinfo=CST), "ok"
        )
        for d in days
        if rng.random() > 0.03
    ] + [
        _visit(
            province_id, engineer, "monthly", datetime(2025, m, 20, 14, tzinfo=CST), "月度巡检完成"
        )
        for m in range(1, 13)
    ]
    ids = db.session.scalars(
        sa.insert(Visit).returning(Visit.id, sort_by_parameter_order=True), visits
    ).all()
    rows, failing = [], []
    for visit_id, visit in zip(ids, visits):
        daily = visit["inspection_kind"] == "daily"
        for device_id, tag in own[:10] if daily else own:
            bad = not daily and visit["started_at"].month == 12 and rng.random() < 1 / 8
            rows.append(
                _record(visit["user_id"], visit["started_at"])
                | {
                    "visit_id": visit_id,
                    "visit_uuid": visit["uuid"],
                    "device_id": device_id,
                    "tag": tag,
                    "inspection_kind": visit["inspection_kind"],
                    "outcome": "fail" if bad else "pass",
                    "photos": [],
                    "supersedes_uuid": None,
                }
            )
            failing.append(bad)
    inspection_ids = db.session.scalars(
        sa.insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True), rows
    ).all()
    db.session.execute(
        sa.insert(InspectionResult),
        [
            {
                "inspection_id": i,
                "item_key": "image" if bad else "power",
                "outcome": "fail" if bad else "pass",
                "photos": [_photo(rng), _photo(rng)] if bad else [],
            }
            for i, bad in zip(inspection_ids, failing)
        ],
    )
    places = {i: (v["site_id"], v["inspection_kind"]) for i, v in zip(ids, visits)}
    targets.mark_inspection_rows(db.session(), rows, places)  # refreshed at the commit
    return len(visits), len(rows)


def _faults(db, rng: random.Random, count: int, engineer: int) -> None:
    """Faults on random devices through 2025, each with its steps (reported, responded and
    mostly resolved), times drawn from RESPONSE_MINUTES and REPAIR_MINUTES."""
    from server.models import Device, Fault, FaultStep, Room

    devices = db.session.execute(sa.select(Device.id, Room.site_id, Room.id).join(Room)).all()
    faults, steps = [], []
    for _ in range(count):
        device_id, site_id, room_id = rng.choice(devices)
        row = _record(engineer, datetime(2025, 1, 1, tzinfo=CST))
        at = row["client_time"] + timedelta(minutes=rng.randrange(365 * 24 * 60))
        respond = at + timedelta(minutes=_minutes(rng, RESPONSE_MINUTES))
        repair = _minutes(rng, REPAIR_MINUTES)
        resolved = respond + timedelta(minutes=repair) if repair is not None else None
        faults.append(
            row
            | {
                "client_time": at,
                "server_time": at,
                "device_id": device_id,
                "site_id": site_id,
                "room_id": room_id,
                "description": "画面卡顿",
                "photos": [],
                "state": "resolved" if resolved else "responded",
                "resolution": "更换线缆" if resolved else None,
                "reported_at": at,
                "responded_at": respond,
                "resolved_at": resolved,
            }
        )
        steps.append(
            [("reported", at), ("responded", respond)] + [("resolved", resolved)] * bool(resolved)
        )
    fault_ids = db.session.scalars(
        sa.insert(Fault).returning(Fault.id, sort_by_parameter_order=True), faults
    ).all()
    db.session.execute(
        sa.insert(FaultStep),
        [
            {"fault_id": f, "step": step, "at": at, "server_time": at, "user_id": engineer}
            for f, fault_steps in zip(fault_ids, steps)
            for step, at in fault_steps
        ],
    )


def add_year(db, rng: random.Random, n_faults: int, n_events: int) -> None:
    """The national dataset's 2025: plans, daily checks, monthly inspections, faults, events."""
    from server.models import User
    from server.services.assessment import events
    from server.services.plans import plans

    started = time.perf_counter()
    province = plans.province_bureau()
    users = {u.username: u for u in db.session.scalars(sa.select(User))}
    engineer, supervisor = users["eng0"].id, users["bench"]
    for month in range(1, 13):
        plans.create_daily_plan(f"2025-{month:02d}", seed=month, user=supervisor)
    plans.create_monthly_plan("2025", seed=1, user=supervisor)
    for quarter in range(1, 5):
        plans.create_quarterly_plan(f"2025Q{quarter}", size=30, seed=quarter, user=supervisor)
    db.session.flush()
    planned = time.perf_counter()
    visits, inspections = _field_work(db, rng, province.id, engineer)
    _faults(db, rng, n_faults, engineer)
    rules = (("av", "attitude", "late_or_inaccurate"), ("software", "backup", "missed_backup"))
    for n in range(n_events):  # through the service: a few, validated like the page's
        form, item, rule = rules[n % len(rules)]
        events.create_event(
            form=form,
            item=item,
            rule=rule,
            occurred_on=date(2025, 1, 1) + timedelta(days=rng.randrange(365)),
            description="bench",
            user=supervisor,
        )
    db.session.commit()  # the commit hook refreshes the new visits' coverage rows
    coverage.analyze(db)
    print(
        f"  2025 added in {time.perf_counter() - started:.1f} s (plans {planned - started:.1f} s): "
        f"{visits} daily and monthly visits, {inspections} inspections, {n_faults} faults, "
        f"{n_events} events"
    )
