"""Response schemas of the fault API: faults with their SLA clocks, breaches and period statistics.

They describe the dicts server/api/faults.py builds (fault_view, _brief) and
services/faults/reports.py and services/faults/sla.py return, key for key (see api/out.py).
"""

import marshmallow as ma

from server.api.out import Out, Timestamp, enum
from server.models import (
    ASSIGNMENT_STEPS,
    ESCALATION_STEPS,
    FAULT_SEVERITIES,
    FAULT_SOURCES,
    FAULT_STEPS,
    FAULT_TIERS,
    TAG_SOURCES,
)
from server.services.faults.sla import CLOCK_NAMES
from server.services.presence import flags as presence_flags

CLOCK_STATES = ("not_started", "running", "about_to_breach", "met", "breached", "not_needed")
Text = ma.fields.String


class ClockOut(Out):
    """One SLA clock at the time of the answer (services/faults/sla.py ClockState)."""

    name = enum(CLOCK_NAMES)
    state = enum(CLOCK_STATES)
    started_at = Timestamp(allow_none=True)
    due_at = Timestamp(allow_none=True)
    stopped_at = Timestamp(allow_none=True)
    elapsed_seconds = ma.fields.Integer()
    remaining_seconds = ma.fields.Integer(
        allow_none=True, metadata={"description": "negative once late"}
    )
    breached = ma.fields.Boolean()
    about_to_breach = ma.fields.Boolean()
    deduction = ma.fields.Integer(
        metadata={"description": "assessment points (response clock only)"}
    )


class ClocksOut(Out):
    response = ma.fields.Nested(ClockOut)
    work = ma.fields.Nested(ClockOut)
    spare = ma.fields.Nested(ClockOut)
    handling = ma.fields.Nested(ClockOut)


class PersonOut(Out):
    """Who, as the screens name them."""

    id = ma.fields.Integer()
    display_name = Text()


class FaultStepOut(Out):
    id = ma.fields.Integer()
    step = enum(FAULT_STEPS + ASSIGNMENT_STEPS + ESCALATION_STEPS)
    at = Timestamp(metadata={"description": "when it happened (phone clock)"})
    server_time = Timestamp()
    user_id = ma.fields.Integer(allow_none=True)
    user = ma.fields.Nested(PersonOut, allow_none=True, metadata={"description": "who"})
    note = Text(allow_none=True)
    assignee = ma.fields.Nested(
        PersonOut, allow_none=True, metadata={"description": "an `assigned` step: to whom"}
    )
    level = ma.fields.Integer(
        allow_none=True, metadata={"description": "an `escalated` step: the level it set"}
    )
    tier = enum(FAULT_TIERS, allow_none=True, metadata={"description": "an `escalated` step"})


class RecordPresenceOut(Out):
    """A fault's or swap's presence flags (services/presence/flags.py), computed when read."""

    flags = ma.fields.List(enum(presence_flags.FLAGS))
    distance_m = ma.fields.Integer(
        allow_none=True, metadata={"description": "from the site's point, when both are known"}
    )
    accuracy_m = ma.fields.Float(allow_none=True)


PRESENCE = {"description": "presence flags (docs/evidence.md); null: not pushed by a phone"}


class FaultCore(Out):
    """A fault as services/faults/records.py dump_fault makes it (also the field pack's rows)."""

    id = ma.fields.Integer()
    uuid = Text()
    tag = Text()
    device_id = ma.fields.Integer()
    site_id = ma.fields.Integer(allow_none=True)
    room_id = ma.fields.Integer(allow_none=True)
    state = enum(FAULT_STEPS)
    severity = enum(FAULT_SEVERITIES)
    urgent_meeting = ma.fields.Boolean()
    description = Text()
    resolution = Text(allow_none=True)
    reported_at = Timestamp()
    responded_at = Timestamp(allow_none=True)
    diagnosing_at = Timestamp(allow_none=True)
    spare_installed_at = Timestamp(allow_none=True)
    resolved_at = Timestamp(allow_none=True)
    closed_at = Timestamp(allow_none=True)
    assignee_id = ma.fields.Integer(
        allow_none=True, metadata={"description": "the engineer it is assigned to"}
    )
    level = ma.fields.Integer(
        allow_none=True, metadata={"description": "1 (most urgent) or 2; null: not graded"}
    )
    tier = enum(FAULT_TIERS, metadata={"description": "who handles it"})


class FaultOut(FaultCore):
    """A fault with its source, photos, record times and running clocks."""

    source = enum(FAULT_SOURCES)
    tag_source = enum(
        TAG_SOURCES,
        allow_none=True,
        metadata={"description": "how the phone got the tag; null: unknown (older app, office)"},
    )
    presence = ma.fields.Nested(RecordPresenceOut, allow_none=True, metadata=PRESENCE)
    photos = ma.fields.List(Text(), metadata={"description": "sha256 of each photo"})
    created_by = ma.fields.Integer(metadata={"description": "user id"})
    client_time = Timestamp()
    server_time = Timestamp()
    clocks = ma.fields.Nested(ClocksOut)
    assignee = ma.fields.Nested(PersonOut, allow_none=True)


class FaultFileOut(Out):
    """A file of a comment, in the evidence store."""

    sha256 = Text()
    name = Text(allow_none=True)
    content_type = Text()
    size = ma.fields.Integer()
    url = Text()


class FaultCommentOut(Out):
    id = ma.fields.Integer()
    fault_id = ma.fields.Integer()
    author = ma.fields.Nested(PersonOut)
    server_time = Timestamp()
    text = Text(allow_none=True)
    attachments = ma.fields.List(ma.fields.Nested(FaultFileOut))


class FaultStoredOut(Out):
    sha256 = Text()
    size = ma.fields.Integer()
    content_type = Text()
    created = ma.fields.Boolean()


class FaultDetail(FaultOut):
    steps = ma.fields.List(ma.fields.Nested(FaultStepOut))
    comments = ma.fields.List(ma.fields.Nested(FaultCommentOut))


class FaultPage(Out):
    items = ma.fields.List(ma.fields.Nested(FaultOut))
    page = ma.fields.Integer()
    per_page = ma.fields.Integer()
    total = ma.fields.Integer()


class FaultBrief(Out):
    id = ma.fields.Integer()
    tag = Text()
    site_id = ma.fields.Integer(allow_none=True)
    state = enum(FAULT_STEPS)
    severity = enum(FAULT_SEVERITIES)
    urgent_meeting = ma.fields.Boolean()
    reported_at = Timestamp()
    clocks = ma.fields.List(enum(CLOCK_NAMES), metadata={"description": "the clocks concerned"})
    clock_states = ma.fields.Nested(ClocksOut)


class BreachesOut(Out):
    period = Text(metadata={"description": "2026-03, 2026Q1, 2026 or 2026-01-01..2026-06-30"})
    now = Timestamp()
    breached = ma.fields.List(ma.fields.Nested(FaultBrief))
    about_to_breach = ma.fields.List(ma.fields.Nested(FaultBrief))


class ClockCountsOut(Out):
    """How many of the period's faults have this clock in each state."""

    met = ma.fields.Integer()
    breached = ma.fields.Integer()
    running = ma.fields.Integer()
    about_to_breach = ma.fields.Integer()
    not_started = ma.fields.Integer()
    not_needed = ma.fields.Integer()


class PerClockOut(Out):
    response = ma.fields.Nested(ClockCountsOut)
    work = ma.fields.Nested(ClockCountsOut)
    spare = ma.fields.Nested(ClockCountsOut)
    handling = ma.fields.Nested(ClockCountsOut)


class ResponseBandOut(Out):
    up_to_minutes = ma.fields.Integer(
        allow_none=True, metadata={"description": "null: beyond the last band"}
    )
    deduction = ma.fields.Integer()
    count = ma.fields.Integer()


class ResolutionOut(Out):
    reported = ma.fields.Integer()
    resolved = ma.fields.Integer()
    rate = ma.fields.Float(
        allow_none=True, metadata={"description": "null when nothing was reported"}
    )
    target = ma.fields.Float()
    met = ma.fields.Boolean(allow_none=True)


class FaultStatsOut(Out):
    period = Text(metadata={"description": "2026-03, 2026Q1, 2026 or 2026-01-01..2026-06-30"})
    start = Timestamp(metadata={"description": "first instant of the period"})
    end = Timestamp(metadata={"description": "first instant after the period"})
    now = Timestamp()
    clocks = ma.fields.Nested(PerClockOut)
    response_bands = ma.fields.List(ma.fields.Nested(ResponseBandOut))
    response_deduction_estimate = ma.fields.Integer()
    resolution = ma.fields.Nested(ResolutionOut)
    by_severity = ma.fields.Dict(keys=enum(FAULT_SEVERITIES), values=ma.fields.Integer())
    urgent_meeting = ma.fields.Integer(metadata={"description": "faults with an urgent meeting"})
