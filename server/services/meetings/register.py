"""The `usage_register` record: the meeting's usage register (使用情况登记表), filled after it.

One register per meeting, latest wins: a second one pushed is stored too (nothing lost, two
engineers may each fill one offline) and the one made last on the phone (client_time, then id)
is the meeting's register; the earlier ones stay as its history, shown on the timeline.
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, UsageRegister
from server.services.field.batch import meta_columns
from server.services.meetings import incidents, meetings, record_checks
from server.services.meetings.record_checks import refuse
from server.services.sync.limits import INT32
from server.services.sync.registry import RecordMeta

TEXT = ma.validate.Length(max=4000)
SHUTDOWN_STEPS = ("audio", "displays", "matrix", "power", "windows_lights")  # contract order


class ShutdownData(ma.Schema):
    audio = ma.fields.Boolean(load_default=False)
    displays = ma.fields.Boolean(load_default=False)
    matrix = ma.fields.Boolean(load_default=False)
    power = ma.fields.Boolean(load_default=False)
    windows_lights = ma.fields.Boolean(load_default=False)


class RecordingData(ma.Schema):
    server = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=200))
    file = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=500))
    duration_min = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 7 * 24 * 60))
    retention_days = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(0, 36500))


class RegisterData(ma.Schema):
    meeting_id = ma.fields.Integer(required=True, validate=INT32)
    started_at = ma.fields.AwareDateTime(required=True)
    ended_at = ma.fields.AwareDateTime(required=True)
    operators = ma.fields.String(allow_none=True, validate=TEXT)
    state_before = ma.fields.String(allow_none=True, validate=TEXT)
    state_after = ma.fields.String(allow_none=True, validate=TEXT)
    shutdown = ma.fields.Nested(ShutdownData, load_default=lambda: ShutdownData().load({}))
    recordings = ma.fields.List(
        ma.fields.Nested(RecordingData), load_default=list, validate=ma.validate.Length(max=50)
    )
    remarks = ma.fields.String(allow_none=True, validate=TEXT)
    signature_photo_id = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Regexp(r"^[0-9a-f]{64}$", error="not a sha256 hex digest"),
    )

    @ma.validates_schema
    def _ends_after_start(self, data, **kwargs):
        if data["ended_at"] < data["started_at"]:
            raise ma.ValidationError("ended before it started", "ended_at")


def store_register(data: dict, meta: RecordMeta) -> UsageRegister:
    """Refused for an unknown or cancelled meeting, and before the meeting starts (server clock)."""
    meeting = record_checks.meeting_for_record(data["meeting_id"])
    if meetings.current_time() < meeting.starts_at:
        raise refuse(
            "meeting_not_started",
            "meeting_id",
            f"Meeting {meeting.id} has not started yet; its register comes after it.",
        )
    flags = record_checks.author_flags(meeting, meta.user)
    register = UsageRegister(**meta_columns(meta), **data, flags=flags or None)
    db.session.add(register)
    return register


def of_meeting(meeting: Meeting) -> list[UsageRegister]:
    """Every register pushed for the meeting, the current one last."""
    query = (
        sa.select(UsageRegister)
        .where(UsageRegister.meeting_id == meeting.id)
        .order_by(UsageRegister.client_time, UsageRegister.id)
    )
    return list(db.session.scalars(query))


def current(meeting: Meeting) -> UsageRegister | None:
    found = of_meeting(meeting)
    return found[-1] if found else None


def _signature(sha: str | None) -> str | None:
    """Printed only once the photo itself is uploaded (it may still wait in the phone's outbox)."""
    from server.services.core.photo_store import get_store

    return sha if sha and get_store().exists(sha) else None


def pdf_source(meeting: Meeting) -> dict | None:
    """The register PDF's rows (services/reports/meeting_register.register_source): the current
    register, the incidents, the recordings; the incidents alone while no register exists."""
    rows = incidents.register_rows(meeting)
    register = current(meeting)
    if register is None:
        return {"incidents": rows} if rows else None
    return {
        "started_at": register.started_at,
        "ended_at": register.ended_at,
        "operators": [register.operators] if register.operators else [],
        "state_before": register.state_before,
        "state_after": register.state_after,
        "shutdown": [s for s in SHUTDOWN_STEPS if (register.shutdown or {}).get(s)],
        "recordings": register.recordings or [],
        "remarks": register.remarks,
        "incidents": rows,
        "signature_photo_sha": _signature(register.signature_photo_id),
    }


def timeline_events(meeting: Meeting) -> list[dict]:
    from server.services.meetings import timeline

    found = of_meeting(meeting)
    return [
        timeline.event(
            "usage_register",
            r.client_time,  # when it was filled in, on the phone's clock
            user_id=r.user_id,
            recorded_at=r.client_time,
            received_at=r.server_time,
            record_id=r.id,
            flags=r.flags,
            started_at=r.started_at,
            ended_at=r.ended_at,
            current=r is found[-1],
            recordings=len(r.recordings or []),
        )
        for r in found
    ]
