"""Meeting schemas: what the office pages send and what they (and the phone) receive."""

import marshmallow as ma

from server.api.base import QueryArgs, db_id, month_param, quarter_param, year_param
from server.api.out import Out, Timestamp, enum, optional
from server.models import MEETING_KINDS, MEETING_PLATFORMS, MEETING_STATES
from server.services.meetings.due import CHECK_KINDS

SCOPES = ("all", "prefecture", "list")
CODE = ma.fields.String(validate=ma.validate.Length(min=1, max=32))


class AwareDateTime(ma.fields.AwareDateTime):
    """An instant with its offset (e.g. 2026-12-03T01:00:00Z); a naive one is a 422."""


class MeetingFields(ma.Schema):
    title = ma.fields.String(validate=ma.validate.Length(min=1, max=200))
    kind = enum(MEETING_KINDS)
    platform = enum(MEETING_PLATFORMS, allow_none=True)
    host_site_code = ma.fields.String(validate=ma.validate.Length(min=1, max=32))
    host_room_id = db_id(allow_none=True)
    starts_at = AwareDateTime()
    ends_at = AwareDateTime()
    major_event = ma.fields.Boolean(metadata={"description": "重大活动及节假日保障"})
    notes = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))
    site_scope = enum(SCOPES, metadata={"description": "all bureaus, a prefecture's, or a list"})
    prefecture_code = ma.fields.String(
        allow_none=True,
        validate=ma.validate.Length(max=12),
        metadata={"description": "scope prefecture"},
    )
    site_codes = ma.fields.List(CODE, validate=ma.validate.Length(max=200))
    speaking_codes = ma.fields.List(CODE, validate=ma.validate.Length(max=200))
    engineer_ids = ma.fields.List(db_id(), validate=ma.validate.Length(max=20))


class MeetingIn(MeetingFields):
    class Meta:
        fields_required = ("title", "kind", "host_site_code", "starts_at", "ends_at", "site_scope")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.Meta.fields_required:
            self.fields[name].required = True


class MeetingPatch(MeetingFields):
    version = ma.fields.Integer(metadata={"description": "the version changed; 409 if stale"})


class CancelIn(ma.Schema):
    reason = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=500))
    version = ma.fields.Integer()


class MeetingQueryArgs(QueryArgs):
    month = month_param("or quarter, year, from and to; default: this month")
    quarter = quarter_param()
    year = year_param()
    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day (inclusive)"})
    to = ma.fields.Date(metadata={"description": "last day (inclusive)"})
    engineer_id = db_id(metadata={"description": "engineers see only their own"})
    site_code = ma.fields.String(validate=ma.validate.Length(min=1, max=32))
    state = enum(MEETING_STATES)
    kind = enum(MEETING_KINDS)


class ImportIn(ma.Schema):
    file = ma.fields.Raw(required=True, metadata={"type": "string", "format": "binary"})


class EngineerOut(Out):
    id = ma.fields.Integer()
    name = ma.fields.String()


class EngineerListOut(Out):
    items = ma.fields.List(ma.fields.Nested(EngineerOut))


class MeetingSiteOut(Out):
    id = ma.fields.Integer(metadata={"description": "the site id records send"})
    code = ma.fields.String()
    name = ma.fields.String()
    prefecture = ma.fields.String()
    speaking = ma.fields.Boolean()


class JointTestResultOut(Out):
    """The latest joint test of a site (a fail still marks the check done)."""

    sound = enum(("pass", "fail"))
    picture = enum(("pass", "fail"))
    pc_content = enum(("pass", "fail"))
    outcome = enum(("pass", "fail"), metadata={"description": "fail if any part failed"})
    note = ma.fields.String(allow_none=True)


class DueCheckOut(Out):
    key = ma.fields.String(metadata={"description": "kind:subject id, stable for records"})
    kind = enum(CHECK_KINDS)
    subject_id = ma.fields.Integer(metadata={"description": "user, site or room id by kind"})
    subject = ma.fields.String()
    due_at = Timestamp()
    state = enum(("due", "late", "done"))
    done_at = Timestamp(allow_none=True)
    done_by_user_id = ma.fields.Integer(allow_none=True)
    result = ma.fields.Nested(JointTestResultOut, allow_none=True)


class WarningOut(Out):
    code = enum(
        ("engineer_double_booked", "no_engineer", "major_needs_more_engineers", "no_host_room")
    )
    engineer_id = optional(ma.fields.Integer())
    meeting_id = optional(ma.fields.Integer(metadata={"description": "the other meeting"}))
    title = optional(ma.fields.String())
    starts_at = optional(Timestamp())


class MeetingSummaryOut(Out):
    id = ma.fields.Integer()
    title = ma.fields.String()
    kind = enum(MEETING_KINDS)
    platform = enum(MEETING_PLATFORMS, allow_none=True)
    host_site_id = ma.fields.Integer()
    host_site_code = ma.fields.String()
    host_site_name = ma.fields.String()
    host_room_id = ma.fields.Integer(allow_none=True)
    host_room_name = ma.fields.String(allow_none=True)
    starts_at = Timestamp()
    ends_at = Timestamp()
    major_event = ma.fields.Boolean()
    state = enum(MEETING_STATES)
    notes = ma.fields.String(allow_none=True)
    version = ma.fields.Integer()
    site_count = ma.fields.Integer()
    engineers = ma.fields.List(ma.fields.Nested(EngineerOut))


class MeetingOut(MeetingSummaryOut):
    sites = ma.fields.List(ma.fields.Nested(MeetingSiteOut))
    due_checks = ma.fields.List(ma.fields.Nested(DueCheckOut))
    warnings = ma.fields.List(ma.fields.Nested(WarningOut))


class MeetingListOut(Out):
    period = ma.fields.String()
    items = ma.fields.List(ma.fields.Nested(MeetingSummaryOut))


class RevisionOut(Out):
    version = ma.fields.Integer()
    action = enum(("created", "updated", "cancelled"))
    user_id = ma.fields.Integer(allow_none=True)
    user_name = ma.fields.String(allow_none=True)
    changed_at = Timestamp()
    changes = ma.fields.Dict(metadata={"description": "field -> {old, new}"})


class HistoryOut(Out):
    items = ma.fields.List(ma.fields.Nested(RevisionOut))
