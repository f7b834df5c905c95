"""Coverage detail lists: missing and unexpected devices, never inspected, failed items, one site."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import NotFound
from server.extensions import db
from server.models import (
    Device,
    DeviceType,
    Inspection,
    InspectionResult,
    Region,
    Room,
    Site,
    Visit,
    VisitTarget,
)
from server.services.coverage.scope import (
    Scope,
    group_expr,
    inspections_in,
    offset_iso,
    site_filter,
    type_filter,
    visits_in,
)
from server.services.coverage.summary import LIVE_STATUSES
from server.services.plans.signals import current_inspections

LISTS = ("missing", "unexpected", "failed", "never_inspected")


def _device_columns():
    return (
        Site.code.label("site_code"),
        Site.name.label("site_name"),
        Device.tag,
        DeviceType.code.label("type_code"),
        DeviceType.name_zh.label("type_name"),
        Room.name.label("room"),
    )


def _devices_in_scope(scope: Scope, *columns):
    query = (
        sa.select(*columns)
        .select_from(Device)
        .join(Room, Room.id == Device.room_id)
        .join(Site, Site.id == Room.site_id)
        .join(Region, Region.code == Site.region_code)
        .join(DeviceType, DeviceType.id == Device.type_id)
        .where(Device.status.in_(LIVE_STATUSES))
    )
    return type_filter(site_filter(query, scope), scope)


def _targets_in(scope: Scope):
    """The period's visit_target rows (type filter applied): see services/coverage/targets.py."""
    query = sa.select(VisitTarget).where(
        VisitTarget.inspection_kind == scope.kind,
        VisitTarget.started_at >= scope.start_at,
        VisitTarget.started_at < scope.end_at,
    )
    if scope.device_type:
        query = query.where(
            VisitTarget.type_id
            == sa.select(DeviceType.id)
            .where(DeviceType.code == scope.device_type)
            .scalar_subquery()
        )
    return query


def missing_devices(scope: Scope, limit: int | None = None) -> list[dict]:
    """Devices registered at a site visited in the period but not inspected during its visits."""
    visited_sites = sa.select(Visit.site_id).where(visits_in(scope))
    # An own target's first row in the period: one per (site, device), so no DISTINCT.
    first = sa.or_(VisitTarget.previous_at.is_(None), VisitTarget.previous_at < scope.start_at)
    seen = (
        _targets_in(scope)
        .with_only_columns(VisitTarget.device_id, VisitTarget.site_id)
        .where(VisitTarget.own, first)
        .subquery()
    )
    query = (
        _devices_in_scope(scope, *_device_columns())
        .outerjoin(seen, sa.and_(seen.c.device_id == Device.id, seen.c.site_id == Room.site_id))
        .where(Room.site_id.in_(visited_sites), seen.c.device_id.is_(None))
        .order_by(Site.code, Device.tag)
        .limit(limit)
    )
    return [dict(r._mapping) for r in db.session.execute(query)]


def unexpected_devices(scope: Scope, limit: int | None = None) -> list[dict]:
    """Per visit, each tag inspected there whose device is registered elsewhere, is not live,
    or is not known at all."""
    targets = _targets_in(scope).where(~VisitTarget.own).subquery()
    visit_site, home = sa.orm.aliased(Site), sa.orm.aliased(Site)
    query = (
        sa.select(
            visit_site.code.label("site_code"),
            visit_site.name.label("site_name"),
            sa.func.coalesce(Device.tag, targets.c.tag).label("tag"),
            home.code.label("registered_site_code"),
            home.name.label("registered_site_name"),
            targets.c.started_at,
        )
        .join(visit_site, visit_site.id == targets.c.site_id)
        .outerjoin(Device, Device.id == targets.c.device_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .outerjoin(home, home.id == Room.site_id)
    )
    if scope.prefecture or scope.county:
        region = sa.orm.aliased(Region)
        query = site_filter(
            query.join(region, region.code == visit_site.region_code), scope, visit_site, region
        )
    query = query.order_by(visit_site.code, sa.text("tag"), targets.c.started_at).limit(limit)
    return [
        {**dict(r._mapping), "started_at": offset_iso(r.started_at)}
        for r in db.session.execute(query)
    ]


def never_inspected(scope: Scope, limit: int | None = None) -> tuple[int, list[dict]]:
    """Live devices with no inspection at all before the period's end."""
    ever = sa.select(Inspection.id).where(
        Inspection.device_id == Device.id, Inspection.client_time < scope.end_at
    )
    total = sa.func.count().over().label("total")
    query = (
        _devices_in_scope(scope, *_device_columns(), total)
        .where(~ever.exists())
        .order_by(Site.code, Device.tag)
        .limit(limit)
    )
    rows = [dict(r._mapping) for r in db.session.execute(query)]
    count = rows[0].pop("total") if rows else 0
    for row in rows[1:]:
        row.pop("total")
    return count, rows


def failed_items(scope: Scope, limit: int | None = None) -> list[dict]:
    """Checklist items answered 'fail' in current inspections of the period.

    Read from the failed results (a few per cent of all, through their outcome index) towards
    their inspections and visits, rather than from every inspection of the period.
    """
    visit_site = sa.orm.aliased(Site)
    query = (
        sa.select(
            visit_site.code.label("site_code"),
            visit_site.name.label("site_name"),
            Inspection.tag,
            InspectionResult.item_key,
            InspectionResult.note,
            Visit.started_at,
        )
        .select_from(InspectionResult)
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .join(Visit, Visit.id == Inspection.visit_id)
        .join(visit_site, visit_site.id == Visit.site_id)
        .where(InspectionResult.outcome == "fail", visits_in(scope), current_inspections())
    )
    if scope.device_type:
        query = type_filter(query.join(Device, Device.id == Inspection.device_id), scope)
    if scope.prefecture or scope.county:
        region = sa.orm.aliased(Region)
        query = site_filter(
            query.join(region, region.code == visit_site.region_code), scope, visit_site, region
        )
    query = query.order_by(visit_site.code, Inspection.tag, InspectionResult.item_key).limit(limit)
    return [
        {**dict(r._mapping), "started_at": offset_iso(r.started_at)}
        for r in db.session.execute(query)
    ]


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
