"""Presence of inspections (rules in presence/flags.py): an inspection's own position if it has
one, else its visit's; its own clock; its visit's site, else the site its device stands in."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.extensions import db
from server.models import Device, Inspection, Room, Site, Visit
from server.services.presence import flags


def _own_position(inspection) -> bool:
    return inspection.lat is not None and inspection.lon is not None


def _places(inspections: list) -> tuple[dict, dict]:
    """visit id -> (lat, lon, accuracy, site id); device id -> site id (one query each)."""
    visit_ids = sorted({i.visit_id for i in inspections if i.visit_id is not None})
    device_ids = sorted({i.device_id for i in inspections if i.device_id is not None})
    visits, devices = {}, {}
    if visit_ids:
        query = sa.select(Visit.id, Visit.lat, Visit.lon, Visit.accuracy_m, Visit.site_id)
        for row in db.session.execute(query.where(Visit.id.in_(visit_ids))):
            visits[row.id] = tuple(row[1:])
    if device_ids:
        query = (
            sa.select(Device.id, Room.site_id)
            .join(Room, Room.id == Device.room_id)
            .where(Device.id.in_(device_ids))
        )
        devices = dict(db.session.execute(query).all())
    return visits, devices


def presence(inspection, visit: tuple | None, point: tuple | None) -> dict:
    """flags, distance, accuracy and whose position was compared (inspection, visit, none)."""
    if _own_position(inspection):
        lat, lon, accuracy, source = (
            inspection.lat,
            inspection.lon,
            inspection.accuracy_m,
            "inspection",
        )
    elif visit is not None and visit[0] is not None and visit[1] is not None:
        lat, lon, accuracy, source = visit[0], visit[1], visit[2], "visit"
    else:
        lat = lon = accuracy = source = None
    record = SimpleNamespace(
        lat=lat,
        lon=lon,
        accuracy_m=accuracy,
        clock_skew_seconds=inspection.clock_skew_seconds,
        tag_source=inspection.tag_source,
    )
    found, distance = flags.flags_of(record, *(point or (None, None)))
    return {
        "flags": found,
        "distance_m": None if distance is None else round(distance),
        "accuracy_m": accuracy,
        "position_from": source,
    }


def annotate(inspections: list) -> list:
    """Set each inspection's `_presence` (a page at once: three small queries)."""
    visits, devices = _places(inspections)
    site_of = {}
    for i in inspections:
        visit = visits.get(i.visit_id)
        site_of[i.id] = visit[3] if visit else devices.get(i.device_id)
    points = flags.site_points({s for s in site_of.values() if s is not None})
    for i in inspections:
        site = site_of[i.id]
        i._presence = presence(i, visits.get(i.visit_id), points.get(site) if site else None)
    return inspections


def presence_of(inspection) -> dict:
    """The inspection's presence (annotated with its page, else read now)."""
    if (known := getattr(inspection, "_presence", None)) is not None:
        return known
    return annotate([inspection])[0]._presence


def flagged(query):
    """`query` (a select of Inspection) narrowed to inspections with a review flag, in SQL."""
    visit, device, room, site = aliased(Visit), aliased(Device), aliased(Room), aliased(Site)
    own = sa.and_(Inspection.lat.is_not(None), Inspection.lon.is_not(None))
    lat = sa.case((own, Inspection.lat), else_=visit.lat)
    lon = sa.case((own, Inspection.lon), else_=visit.lon)
    accuracy = sa.case((own, Inspection.accuracy_m), else_=visit.accuracy_m)
    condition = flags.review_sql(
        lat,
        lon,
        accuracy,
        Inspection.clock_skew_seconds,
        site.lat,
        site.lon,
        Inspection.tag_source,
    )
    return (
        query.outerjoin(visit, visit.id == Inspection.visit_id)
        .outerjoin(device, device.id == Inspection.device_id)
        .outerjoin(room, room.id == device.room_id)
        .outerjoin(site, site.id == sa.func.coalesce(visit.site_id, room.site_id))
        .where(condition)
    )
