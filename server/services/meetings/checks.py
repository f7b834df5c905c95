"""The pre-meeting check records the phone pushes (meeting_arrival, meeting_site_confirmation,
meeting_joint_test): their data, the refusals, storing them, and the due checks they mark done.

Contract: /work/wt/notes/meeting_contract.md; docs/meetings.md ("Check records").
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from server.extensions import db
from server.models import TEST_RESULTS, Meeting, MeetingCheck
from server.services.field.batch import meta_columns
from server.services.meetings import record_checks
from server.services.sync.limits import INT32
from server.services.sync.registry import RecordMeta, RecordType

NOTE = ma.validate.Length(max=4000)
RESULT = ma.validate.OneOf(TEST_RESULTS)


class ArrivalData(ma.Schema):
    meeting_id = ma.fields.Integer(required=True, validate=INT32)
    arrived_at = ma.fields.AwareDateTime(required=True)


class SiteConfirmationData(ma.Schema):
    meeting_id = ma.fields.Integer(required=True, validate=INT32)
    site_id = ma.fields.Integer(required=True, validate=INT32)
    confirmed_by = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=200)
    )
    confirmed_at = ma.fields.AwareDateTime(required=True)
    note = ma.fields.String(load_default=None, allow_none=True, validate=NOTE)


class JointTestData(ma.Schema):
    meeting_id = ma.fields.Integer(required=True, validate=INT32)
    site_id = ma.fields.Integer(required=True, validate=INT32)
    sound = ma.fields.String(required=True, validate=RESULT)
    picture = ma.fields.String(required=True, validate=RESULT)
    pc_content = ma.fields.String(required=True, validate=RESULT)
    note = ma.fields.String(load_default=None, allow_none=True, validate=NOTE)
    tested_at = ma.fields.AwareDateTime(required=True)


def _store(kind: str, meeting: Meeting, meta: RecordMeta, **columns) -> MeetingCheck:
    # every check above ran before this: nothing is added for a refused record
    record = MeetingCheck(
        kind=kind,
        meeting_id=meeting.id,
        flags=record_checks.author_flags(meeting, meta.user) or None,
        **columns,
        **meta_columns(meta),
    )
    db.session.add(record)
    return record


def store_arrival(data: dict, meta: RecordMeta) -> MeetingCheck:
    meeting = record_checks.meeting_for_record(data["meeting_id"])
    return _store("arrival", meeting, meta, at=data["arrived_at"])


def store_site_confirmation(data: dict, meta: RecordMeta) -> MeetingCheck:
    meeting = record_checks.meeting_for_record(data["meeting_id"])
    record_checks.check_site(meeting, data["site_id"])
    return _store(
        "site_confirmation",
        meeting,
        meta,
        site_id=data["site_id"],
        at=data["confirmed_at"],
        confirmed_by=data["confirmed_by"],
        note=data["note"],
    )


def store_joint_test(data: dict, meta: RecordMeta) -> MeetingCheck:
    meeting = record_checks.meeting_for_record(data["meeting_id"])
    record_checks.check_site(meeting, data["site_id"])
    return _store(
        "joint_test",
        meeting,
        meta,
        site_id=data["site_id"],
        at=data["tested_at"],
        sound=data["sound"],
        picture=data["picture"],
        pc_content=data["pc_content"],
        note=data["note"],
    )


TYPES = [
    RecordType("meeting_arrival", ArrivalData, store_arrival),
    RecordType("meeting_site_confirmation", SiteConfirmationData, store_site_confirmation),
    RecordType("meeting_joint_test", JointTestData, store_joint_test),
]  # registered by record_types.register_all


def _outcome(record: MeetingCheck) -> dict:
    results = {k: getattr(record, k) for k in ("sound", "picture", "pc_content")}
    passed = all(v == "pass" for v in results.values())
    return {**results, "outcome": "pass" if passed else "fail", "note": record.note}


def done_from_checks(meeting: Meeting) -> dict[str, dict]:
    """Due checks the records mark done: an engineer's first arrival (arrival:<user>), a site's
    first confirmation (switch_on:<site>), a site's latest joint test (joint_test:<site>; a fail
    still counts done, its result goes with the check so the meeting shows it)."""
    if meeting.id is None:
        return {}
    rows = db.session.scalars(
        sa.select(MeetingCheck)
        .where(MeetingCheck.meeting_id == meeting.id)
        .order_by(MeetingCheck.at, MeetingCheck.id)
    )
    done: dict[str, dict] = {}
    for record in rows:
        mark = {"done_at": record.at, "by_user_id": record.user_id}
        if record.kind == "arrival":
            done.setdefault(f"arrival:{record.user_id}", mark)
        elif record.kind == "site_confirmation":
            done.setdefault(f"switch_on:{record.site_id}", mark)
        else:  # a retest after a fix replaces the earlier result: the latest wins
            done[f"joint_test:{record.site_id}"] = {**mark, "result": _outcome(record)}
    return done
