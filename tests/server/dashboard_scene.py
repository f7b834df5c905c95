"""A small scene for the dashboard: a daily check of the province bureau today, one fault past
its response clock and one about to breach, and a spare type below its minimum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Device, Fault, Room, Site, User
from server.services.core.devices import create_device
from server.services.faults import lifecycle
from server.services.faults.spares import seed_spare_places, set_threshold
from tests.server.plans_helpers import FieldFactory


@dataclass
class DashScene:
    late: Fault  # reported 20 minutes ago, not answered: the response clock breached
    near: Fault  # reported 7 minutes ago: 3 minutes left of the 10, about to breach
    checked: Device  # the province bureau's camera, checked today


def _room(site_code: str) -> Room:
    return db.session.scalar(
        sa.select(Room)
        .join(Site, Site.id == Room.site_id)
        .where(Site.code == site_code, Room.kind == "main_conference")
    )


def build(engineer: User, supervisor: User, now: datetime, daily_done: bool = True) -> DashScene:
    """The scene at `now` (the faults' clock must read `now` too); commits."""
    province = _room("520000")
    camera = create_device(type_code="L09", room_id=province.id, status="in_service")
    if daily_done:
        fields = FieldFactory()
        # half an hour ago, but never before midnight China time: the check must be today's
        started = max(now - timedelta(minutes=30), periods.day_start(periods.local_day(now)))
        visit = fields.visit(province.site, engineer, started, "daily")
        fields.inspection(visit, camera)
    broken = create_device(type_code="L09", room_id=_room("520102").id, status="in_service")
    other = create_device(type_code="L07", room_id=_room("520103").id, status="in_service")
    create_device(type_code="L09", status="spare")
    seed_spare_places()
    set_threshold("L09", 3)  # one L09 spare in the pool: below the minimum
    late = lifecycle.create_fault(
        tag=broken.tag,
        description="无图像",
        user=supervisor,
        source="phone",
        reported_at=now - timedelta(minutes=20),
    )
    near = lifecycle.create_fault(
        tag=other.tag,
        description="无声音",
        user=supervisor,
        source="phone",
        reported_at=now - timedelta(minutes=7),
    )
    db.session.commit()
    return DashScene(late, near, camera)
