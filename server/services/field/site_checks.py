"""The `site_check` record type: a room's daily checklist (display, camera, audio, network,
conference) filled in once, without scanning each unit; stored as an inspection of the room.

Refused per record, nothing written: an unknown room (`unknown_room`), a closed room
(`room_closed`) or site (`site_closed_for_checks`), a site that has no daily check (`kind_not_for_site`),
a template that is not the room's (`invalid`), answers that do not fit it (`invalid`).
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import SITE_CHECK_KIND, ChecklistTemplate, Room, SiteCheck
from server.services.field import kinds
from server.services.field.batch import invalid, meta_columns
from server.services.field.data import Sha
from server.services.field.results import ResultsField, evaluate_results
from server.services.field.templates import template_for_record
from server.services.sync.limits import INT32
from server.services.sync.registry import RecordMeta, RecordType

KIND = "daily"  # the site check is the daily check of the room's site


class SiteCheckData(ma.Schema):
    visit_uuid = ma.fields.UUID(load_default=None, allow_none=True)
    room_id = ma.fields.Integer(required=True, validate=INT32)
    template_id = ma.fields.Integer(required=True, validate=INT32)
    template_version = ma.fields.Integer(required=True, validate=INT32)
    checked_at = ma.fields.AwareDateTime(required=True)
    results = ResultsField(load_default=list)
    notes = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )
    photos = ma.fields.List(Sha, load_default=list, validate=ma.validate.Length(max=50))


def _refuse(code: str, field: str, message: str) -> Invalid:
    return Invalid(message, errors={"data": {field: [message]}}, code_name=code)


def _room(room_id: int) -> Room:
    """The room, open, at an open site that can have a daily check; else a refusal."""
    room = db.session.get(Room, room_id)
    if room is None:
        raise _refuse(
            "unknown_room", "room_id", f"No room has the id {room_id}; pull the field pack again."
        )
    if room.site.closed_at is not None:
        raise _refuse(
            "site_closed_for_checks",
            "room_id",
            f"Site {room.site.code} is closed; its rooms take no more checks.",
        )
    if room.closed_at is not None:
        raise _refuse(
            "room_closed", "room_id", f"Room {room.name} is closed; it takes no more checks."
        )
    kinds.check_kind(room.site.tier, KIND, room.site.code, field="room_id")
    return room


def _template_key(template_id: int) -> str | None:
    return db.session.scalar(
        sa.select(ChecklistTemplate.key).where(ChecklistTemplate.id == template_id)
    )


def store_site_check(data: dict, meta: RecordMeta) -> SiteCheck:
    room = _room(data["room_id"])
    template, items = template_for_record(data["template_id"], data["template_version"])
    if _template_key(template.id) != SITE_CHECK_KIND:
        raise invalid(
            "template_id",
            f"Template {template.id} is not the room checklist ({SITE_CHECK_KIND}); "
            "pull the field pack again.",
        )
    results, outcome = evaluate_results(data["results"], items)
    check = SiteCheck(
        site_id=room.site_id,
        room_id=room.id,
        visit_uuid=str(data["visit_uuid"]) if data["visit_uuid"] else None,
        template_id=template.id,
        template_version=template.version,
        inspection_kind=KIND,
        checked_at=data["checked_at"],
        outcome=outcome,
        results=results,
        notes=data["notes"],
        photos=data["photos"],
        **meta_columns(meta),
    )
    db.session.add(check)
    return check


TYPES = [RecordType("site_check", SiteCheckData, store_site_check)]
# registered by record_types.register_all, after the visits and inspections
