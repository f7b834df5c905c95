"""Fault lists for supervisors: filtered queries, breaches and month / quarter statistics."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server import tags
from server.extensions import db
from server.models import Device, Fault, Site
from server.services.faults import lifecycle as fault_service
from server.services.faults import sla


def list_query(
    state: str | None = None,
    open_only: bool = False,
    site: str | None = None,
    tag: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
):
    query = (
        sa.select(Fault)
        .options(selectinload(Fault.device), selectinload(Fault.assignee))
        .order_by(Fault.reported_at.desc(), Fault.id.desc())
    )
    if state:
        query = query.where(Fault.state == state)
    if open_only:
        query = query.where(Fault.state.in_(fault_service.OPEN_STATES))
    if site:
        query = query.join(Site, Fault.site_id == Site.id).where(Site.code == site)
    if tag:
        query = query.join(Device, Fault.device_id == Device.id).where(
            Device.tag == tags.normalize(tag)
        )
    if start is not None:
        query = query.where(Fault.reported_at >= start, Fault.reported_at < end)
    return query


def period_faults(start: datetime, end: datetime) -> list[Fault]:
    return list(db.session.scalars(list_query(start=start, end=end)))


def breaches(start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """Faults of the period (and any still open) with a clock breached or about to breach."""
    now = now or fault_service.current_time()
    faults = {f.id: f for f in period_faults(start, end)}
    for fault in db.session.scalars(list_query(open_only=True)):
        faults.setdefault(fault.id, fault)
    breached, about = [], []
    for fault in sorted(faults.values(), key=lambda f: f.reported_at):
        states = sla.clocks(fault_service.times_of(fault), now)
        hit = [name for name, clock in states.items() if clock.breached]
        near = [name for name, clock in states.items() if clock.about_to_breach]
        if hit:
            breached.append((fault, hit))
        if near:
            about.append((fault, near))
    return {"breached": breached, "about_to_breach": about}


def stats(start: datetime, end: datetime, now: datetime | None = None) -> dict:
    now = now or fault_service.current_time()
    faults = period_faults(start, end)
    summary = sla.summarize([fault_service.times_of(f) for f in faults], now)
    by_severity: dict[str, int] = {}
    for fault in faults:
        by_severity[fault.severity] = by_severity.get(fault.severity, 0) + 1
    return {
        **summary,
        "by_severity": by_severity,
        "urgent_meeting": sum(1 for f in faults if f.urgent_meeting),
    }
