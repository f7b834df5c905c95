"""What the fault records show: late responses (av bands), the software form's SLA misses, the
resolution rate, and a contractor-caused outage's length; each a Finding linking the fault."""

from __future__ import annotations

from dataclasses import fields
from datetime import datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Fault
from server.services.assessment import rules
from server.services.assessment.records import Finding, link
from server.services.faults import lifecycle as fault_service
from server.services.faults import sla


def fault_link(fault: Fault) -> dict:
    return link("fault", f"故障 #{fault.id}", f"/faults?fault={fault.id}", fault.id)


def period_faults(start: datetime, end: datetime) -> list[Fault]:
    return list(
        db.session.scalars(
            sa.select(Fault)
            .where(Fault.reported_at >= start, Fault.reported_at < end)
            .order_by(Fault.reported_at, Fault.id)
        )
    )


def _iso(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


CLOCK_FIELDS = tuple(f.name for f in fields(sla.ClockState))
CLOCK_TIMES = ("started_at", "due_at", "stopped_at")


def clock_dict(clock: sla.ClockState) -> dict:
    """ClockState.as_dict without dataclasses.asdict's deep copies (thousands per year)."""
    data = {name: getattr(clock, name) for name in CLOCK_FIELDS}
    for key in CLOCK_TIMES:
        data[key] = _iso(data[key])
    return data


def fault_detail(fault: Fault, now: datetime) -> dict:
    times = fault_service.times_of(fault)
    restored = sla.restored_at(times)
    return {
        "fault_id": fault.id,
        "severity": fault.severity,
        "reported_at": fault.reported_at.isoformat(),
        "responded_at": fault.responded_at.isoformat() if fault.responded_at else None,
        "restored_at": restored.isoformat() if restored else None,
        "resolved_at": fault.resolved_at.isoformat() if fault.resolved_at else None,
        "clocks": {k: clock_dict(v) for k, v in sla.clocks(times, now).items()},
    }


def _minutes(delta: timedelta) -> int:
    return int(delta.total_seconds() // 60)


def fault_findings(faults: list[Fault], now: datetime) -> list[Finding]:
    """Late responses (av bands), the software form's SLA misses, the resolution rate."""
    found = []
    for fault in faults:
        times = fault_service.times_of(fault)
        day = periods.local_day(fault.reported_at)
        detail: dict = {}  # filled once, only for a fault that costs points
        links = [fault_link(fault)]
        response = (fault.responded_at or now) - fault.reported_at
        clock = sla.response_clock(times, now)
        response_late = response > rules.SOFTWARE_RESPONSE_LIMIT
        resolution = (fault.resolved_at or now) - fault.reported_at
        resolution_late = resolution > rules.SOFTWARE_RESOLUTION_LIMIT
        if clock.deduction or response_late or resolution_late:
            detail.update(fault_detail(fault, now))
        if clock.deduction:
            what = f"fault #{fault.id}: response after {_minutes(response)} min"
            zh = f"故障 #{fault.id} {_minutes(response)} 分钟后响应"
            found.append(
                Finding(
                    "av",
                    "emergency",
                    "late_response",
                    clock.deduction,
                    day,
                    what,
                    links,
                    detail,
                    what_zh=zh,
                )
            )
        if response_late:
            what = f"fault #{fault.id}: response after {_minutes(response)} min (> 15)"
            zh = f"故障 #{fault.id} {_minutes(response)} 分钟后响应（>15）"
            found.append(Finding("software", "sla", "sla_miss", -5, day, what, links, detail, zh))
        if resolution_late:
            what = f"fault #{fault.id}: resolution after {_minutes(resolution)} min (> 120)"
            zh = f"故障 #{fault.id} {_minutes(resolution)} 分钟后解决（>120）"
            found.append(Finding("software", "sla", "sla_miss", -5, day, what, links, detail, zh))
    rate = sla.resolution_rate([fault_service.times_of(f) for f in faults], now)
    if rate["met"] is False:
        open_ = [f for f in faults if f.resolved_at is None or f.resolved_at > now]
        what = f"resolution rate {rate['resolved']}/{rate['reported']} is not above 95 %"
        zh = f"故障解决率 {rate['resolved']}/{rate['reported']}，未高于95%"
        found.append(
            Finding(
                "av",
                "service",
                "resolution_rate",
                rules.RESOLUTION_RATE_POINTS,
                None,
                what,
                [fault_link(f) for f in open_],
                rate,
                what_zh=zh,
            )
        )
    return found


def outage_minutes(fault: Fault, now: datetime) -> tuple[int, int]:
    """(outage minutes from report to service restored or now, its deduction)."""
    restored = sla.restored_at(fault_service.times_of(fault)) or now
    duration = max(timedelta(0), restored - fault.reported_at)
    return _minutes(duration), rules.outage_points(duration)
