"""One bureau's coverage detail: its devices, each one's last inspection, its recent visits."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import NotFound
from server.extensions import db
from server.models import Device, DeviceType, Inspection, Region, Room, Site, Visit
from server.services.coverage.scope import Scope, group_expr, inspections_in, offset_iso
from server.services.plans.signals import current_inspections


def site_detail(code: str, scope: Scope | None = None) -> dict:
    """A site, its devices and each device's last current inspection (and whether in the period)."""
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"No site with code '{code}'.")
    last = (
        sa.select(Inspection.device_id, sa.func.max(Inspection.client_time).label("at"))
        .join(Device, Device.id == Inspection.device_id)
        .join(Room, Room.id == Device.room_id)
        .where(Room.site_id == site.id, current_inspections())
        .group_by(Inspection.device_id)
        .subquery()
    )
    latest = sa.orm.aliased(Inspection)
    rows = db.session.execute(
        sa.select(
            Device.tag,
            Device.status,
            DeviceType.code,
            DeviceType.name_zh,
            DeviceType.name_en,
            Room.name,
            latest.outcome,
            latest.client_time,
            latest.inspection_kind,
            latest.id,
        )
        .join(Room, Room.id == Device.room_id)
        .join(DeviceType, DeviceType.id == Device.type_id)
        .outerjoin(last, last.c.device_id == Device.id)
        .outerjoin(
            latest,
            sa.and_(
                latest.device_id == Device.id,
                latest.client_time == last.c.at,
                current_inspections(latest),
            ),
        )
        .where(Room.site_id == site.id)
        .order_by(Room.name, Device.tag)
    )
    devices = {}
    for tag, status, type_code, name_zh, name_en, room, outcome, at, kind, _ in rows:
        devices.setdefault(
            tag,
            {
                "tag": tag,
                "status": status,
                "type_code": type_code,
                "type_name_zh": name_zh,
                "type_name_en": name_en,
                "room": room,
                "last_inspection": at and {"at": offset_iso(at), "outcome": outcome, "kind": kind},
            },
        )
    if scope is not None:
        inspected = {
            r.tag for r in db.session.execute(inspections_in(scope).where(Visit.site_id == site.id))
        }
        for device in devices.values():
            device["inspected_in_period"] = device["tag"] in inspected
    group = db.session.scalar(
        sa.select(group_expr())
        .select_from(Site)
        .join(Region, Region.code == Site.region_code)
        .where(Site.id == site.id)
    )
    return {
        "code": site.code,
        "name": site.name,
        "tier": site.tier,
        "region_code": site.region_code,
        "prefecture": group,
        "devices": list(devices.values()),
        "visits": _recent_visits(site.id),
    }


def _recent_visits(site_id: int, limit: int = 10) -> list[dict]:
    rows = db.session.execute(
        sa.select(
            Visit.id,
            Visit.started_at,
            Visit.inspection_kind,
            Visit.plan_entry_id,
            sa.func.count(Inspection.id),
        )
        .outerjoin(Inspection, Inspection.visit_id == Visit.id)
        .where(Visit.site_id == site_id)
        .group_by(Visit.id)
        .order_by(Visit.started_at.desc())
        .limit(limit)
    )
    return [
        {
            "id": r[0],
            "started_at": offset_iso(r[1]),
            "kind": r[2],
            "plan_entry_id": r[3],
            "inspections": r[4],
        }
        for r in rows
    ]
