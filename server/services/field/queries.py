"""Reading visits and inspections: filters, missing photos and the supersession chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server import tags
from server.errors import NotFound
from server.extensions import db
from server.models import Device, Inspection, Room, Site, Visit
from server.models.field import valid_correction_of
from server.services.core import photo_store
from server.services.presence import inspections as presence


def _day_bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime.combine(day, time.min, tzinfo=UTC)
    return start, start + timedelta(days=1)


def visits_query(site: str | None = None, user_id: int | None = None, day: date | None = None):
    query = sa.select(Visit).order_by(Visit.started_at.desc(), Visit.id.desc())
    if site:
        query = query.join(Site, Site.id == Visit.site_id).where(Site.code == site)
    if user_id:
        query = query.where(Visit.user_id == user_id)
    if day:
        start, end = _day_bounds(day)
        query = query.where(Visit.started_at >= start, Visit.started_at < end)
    return query


def inspections_query(
    tag: str | None = None,
    site: str | None = None,
    visit: str | None = None,
    day: date | None = None,
    outcome: str | None = None,
):
    query = (
        sa.select(Inspection)
        .options(selectinload(Inspection.results))
        .order_by(Inspection.client_time.desc(), Inspection.id.desc())
    )
    if tag:
        try:
            query = query.where(Inspection.tag == tags.validate(tag))
        except tags.TagError:
            query = query.where(sa.false())
    if site:  # through the visit, or where the device stands
        visits = sa.select(Visit.id).join(Site, Site.id == Visit.site_id).where(Site.code == site)
        devices = (
            sa.select(Device.id)
            .join(Room, Room.id == Device.room_id)
            .join(Site, Site.id == Room.site_id)
            .where(Site.code == site)
        )
        query = query.where(sa.or_(in_visits(visits), Inspection.device_id.in_(devices)))
    if visit:
        query = query.where(in_visits(sa.select(Visit.id).where(Visit.uuid == visit), visit))
    if day:
        start, end = _day_bounds(day)
        query = query.where(Inspection.client_time >= start, Inspection.client_time < end)
    if outcome:
        query = query.where(Inspection.outcome == outcome)
    return query


def in_visits(visit_ids: sa.Select, waiting_for: str | None = None) -> sa.ColumnElement:
    """The inspection belongs to one of these visits (a select of Visit.id): once its visit is
    here, visit_id names it. waiting_for: a visit UUID whose inspections may have arrived
    before it (visit_id null; the few rows of the partial ix_inspection_visit_uuid)."""
    linked = Inspection.visit_id.in_(visit_ids)
    if waiting_for is None:
        return linked
    waiting = sa.and_(Inspection.visit_id.is_(None), Inspection.visit_uuid == waiting_for)
    return sa.or_(linked, waiting)


def get_inspection(uuid: str) -> Inspection:
    inspection = db.session.scalar(sa.select(Inspection).where(Inspection.uuid == uuid))
    if inspection is None:
        raise NotFound(f"No inspection {uuid}.")
    return inspection


def get_visit(uuid: str) -> Visit:
    visit = db.session.scalar(sa.select(Visit).where(Visit.uuid == uuid))
    if visit is None:
        raise NotFound(f"No visit {uuid}.")
    return visit


def referenced_photos(inspection: Inspection) -> list[str]:
    shas = list(inspection.photos or [])
    for result in inspection.results:
        shas.extend(result.photos or [])
    return list(dict.fromkeys(shas))


def missing_photos(inspection: Inspection) -> list[str]:
    if (known := getattr(inspection, "_missing_photos", None)) is not None:
        return known
    return photo_store.missing(referenced_photos(inspection))


def superseded_by(inspection: Inspection) -> list[str]:
    """UUIDs of the valid corrections of this inspection (normally zero or one)."""
    if (known := getattr(inspection, "_superseded_by", None)) is not None:
        return known
    query = (
        sa.select(Inspection.uuid)
        .where(valid_correction_of(Inspection, inspection.uuid))
        .order_by(Inspection.client_time)
    )
    return list(db.session.scalars(query))


def annotate(inspections: list[Inspection]) -> list[Inspection]:
    """Corrections, missing photos and presence of a whole page at once (a few queries, one
    stat per photo)."""
    uuids = [i.uuid for i in inspections]
    corrections: dict[str, list[str]] = {u: [] for u in uuids}
    if uuids:
        query = (
            sa.select(Inspection.supersedes_uuid, Inspection.uuid)
            .where(Inspection.supersedes_uuid.in_(uuids), Inspection.supersede_state == "valid")
            .order_by(Inspection.client_time)
        )
        for original, correction in db.session.execute(query):
            corrections[original].append(correction)
    missing = set(photo_store.missing([sha for i in inspections for sha in referenced_photos(i)]))
    for inspection in inspections:
        inspection._superseded_by = corrections[inspection.uuid]
        inspection._missing_photos = [s for s in referenced_photos(inspection) if s in missing]
    presence.annotate(inspections)
    return inspections
