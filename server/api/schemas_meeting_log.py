"""Meeting timeline schema: the office page's list of what happened around one meeting."""

import marshmallow as ma

from server.api.out import Out, Timestamp


class FlagOut(Out):
    code = ma.fields.String(
        metadata={"description": "reason_codes.FLAG_CODES, worded in reasons.js"}
    )
    params = ma.fields.Dict()


class TimelineEventOut(Out):
    at = Timestamp(metadata={"description": "when it happened (the event's own time)"})
    kind = ma.fields.String(
        metadata={
            "description": "meeting_created, meeting_updated, meeting_cancelled, meeting_starts, "
            "meeting_ends, check_due, check_done, arrival, site_confirmation, joint_test, "
            "pre_meeting_visit, incident, usage_register; record types "
            "registered later add kinds of their own"
        }
    )
    user_id = ma.fields.Integer(allow_none=True, metadata={"description": "who (null: nobody)"})
    user_name = ma.fields.String(allow_none=True)
    recorded_at = Timestamp(allow_none=True, metadata={"description": "the phone's clock"})
    received_at = Timestamp(allow_none=True, metadata={"description": "the server's clock"})
    record_id = ma.fields.Integer(allow_none=True, metadata={"description": "id in its table"})
    flags = ma.fields.List(ma.fields.Nested(FlagOut))
    details = ma.fields.Dict(metadata={"description": "the kind's own fields (docs/meetings.md)"})


class TimelineOut(Out):
    meeting_id = ma.fields.Integer()
    items = ma.fields.List(ma.fields.Nested(TimelineEventOut))
