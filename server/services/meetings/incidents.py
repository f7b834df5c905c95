"""The `meeting_incident` record: an in-meeting incident at a site, optionally turned into a fault.

A fault made from an incident takes the incident's uuid (so the phone can push fault_step
records for it, even offline, with fault_uuid = the incident's uuid) and reported_at =
started_at: its SLA clock runs from when the incident began, not from when it was synced.
"""

from __future__ import annotations

from datetime import timedelta

import marshmallow as ma
import sqlalchemy as sa

from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import INCIDENT_KINDS, Meeting, MeetingIncident
from server.periods import iso
from server.services.core import reason_codes
from server.services.faults import lifecycle as faults
from server.services.field.batch import meta_columns
from server.services.meetings import record_checks
from server.services.meetings.record_checks import refuse
from server.services.sync.limits import INT32
from server.services.sync.registry import RecordMeta

# Clocks drift and meetings overrun: an incident up to an hour either side is unremarkable.
HOURS_MARGIN = timedelta(hours=1)
KIND_ZH = {
    "lost_sound": "会场无声音",
    "frozen_picture": "画面卡顿/冻结",
    "mosaic": "画面马赛克",
    "dropped_out": "会场掉线",
    "other": "其他",
}


class IncidentData(ma.Schema):
    meeting_id = ma.fields.Integer(required=True, validate=INT32)
    site_id = ma.fields.Integer(required=True, validate=INT32)
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INCIDENT_KINDS))
    started_at = ma.fields.AwareDateTime(required=True)
    duration_min = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 24 * 60))
    action = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))
    to_fault = ma.fields.Boolean(load_default=False)
    tag = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))


def _fault_device(data: dict):
    """The unit the fault is raised on: it must exist and be at the incident's site."""
    from server.services.core import devices

    if not data.get("tag"):
        raise refuse(
            "fault_tag_required", "tag", "A fault needs the unit's tag (to_fault without tag)."
        )
    try:
        device = devices.get_by_tag(data["tag"])
    except NotFound as exc:
        raise refuse("fault_tag_unknown", "tag", exc.message) from None
    if device.room is None or device.room.site_id != data["site_id"]:
        raise refuse(
            "fault_tag_not_at_site",
            "tag",
            f"Unit {device.tag} is not at site {data['site_id']}.",
        )
    return device


def _raise_fault(meeting: Meeting, device, data: dict, meta: RecordMeta):
    kind_zh = KIND_ZH[data["kind"]]
    action = f"；处理：{data['action']}" if data.get("action") else ""
    try:
        return faults.create_fault(
            tag=device.tag,
            description=f"会议「{meeting.title}」会中故障：{kind_zh}{action}",
            user=meta.user,
            reported_at=data["started_at"],
            urgent_meeting=True,
            uuid=meta.uuid,
            client_time=meta.client_time,
            clock_skew_seconds=meta.clock_skew_seconds,
            lat=meta.lat,
            lon=meta.lon,
            accuracy_m=meta.accuracy_m,
            app_version=meta.app_version,
            content_hash=meta.content_hash,
        )
    except Invalid as exc:  # retired unit, a start in the future: say it about this record
        fields = {"reported_at": "started_at"}
        errors = {fields.get(k, k): v for k, v in ((exc.errors or {}).get("json") or {}).items()}
        raise Invalid(exc.message, errors={"data": errors}, code_name=exc.code_name) from None


def outside_hours(meeting: Meeting, started_at) -> bool:
    return not (meeting.starts_at - HOURS_MARGIN <= started_at <= meeting.ends_at + HOURS_MARGIN)


def store_incident(data: dict, meta: RecordMeta) -> MeetingIncident:
    """Check everything first, then the fault (if asked), then the incident linked to it."""
    meeting = record_checks.meeting_for_record(data["meeting_id"])
    record_checks.check_site(meeting, data["site_id"])
    device = _fault_device(data) if data["to_fault"] else None
    flags = record_checks.author_flags(meeting, meta.user)
    if outside_hours(meeting, data["started_at"]):
        flags.append(
            reason_codes.flag(
                "incident_outside_hours", started_at=iso(data["started_at"]), meeting=meeting.id
            )
        )
    fault = _raise_fault(meeting, device, data, meta) if device is not None else None
    incident = MeetingIncident(
        **meta_columns(meta),
        **data,
        fault_id=fault.id if fault else None,
        flags=flags or None,
    )
    if device is not None:
        incident.tag = device.tag  # the unit's current tag (an alias scanned resolves to it)
    db.session.add(incident)
    return incident


def of_meeting(meeting: Meeting) -> list[MeetingIncident]:
    query = (
        sa.select(MeetingIncident)
        .where(MeetingIncident.meeting_id == meeting.id)
        .order_by(MeetingIncident.started_at, MeetingIncident.id)
    )
    return list(db.session.scalars(query))


def register_rows(meeting: Meeting) -> list[dict]:
    """The incidents as the usage register prints them (Chinese kind, site name)."""
    return [
        {
            "started_at": i.started_at,
            "site": i.site.name,
            "kind": KIND_ZH.get(i.kind, i.kind) + (f"（故障 #{i.fault_id}）" if i.fault_id else ""),
            "action": i.action,
            "duration_min": i.duration_min,
        }
        for i in of_meeting(meeting)
    ]


def timeline_events(meeting: Meeting) -> list[dict]:
    from server.services.meetings import timeline

    return [
        timeline.event(
            "incident",
            i.started_at,
            user_id=i.user_id,
            recorded_at=i.client_time,
            received_at=i.server_time,
            record_id=i.id,
            flags=i.flags,
            site_id=i.site_id,
            site_name=i.site.name,
            incident_kind=i.kind,
            duration_min=i.duration_min,
            action=i.action,
            fault_id=i.fault_id,
            tag=i.tag,
        )
        for i in of_meeting(meeting)
    ]
