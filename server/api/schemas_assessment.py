"""Response schemas of the assessment API: both scorecards with every point's records, the
money at stake, the outlook of the current period, and the assessment events.

They describe the dicts server/services/assessment/view.py and events.py build, key for key.
"""

import marshmallow as ma

from server.api.out import Computed, Day, Out, Timestamp, enum
from server.models import ASSESSMENT_FORMS
from server.services.assessment.rules import SOURCES

Text = ma.fields.String
Int = ma.fields.Integer
LINK_KINDS = (
    "plan_entry",
    "coverage",
    "fault",
    "visit",
    "event",
    "attachment",
    "meeting",
    "meeting_timeline",
    "usage_register",
)


class AssessmentLinkOut(Out):
    kind = enum(LINK_KINDS)
    id = ma.fields.Raw(
        allow_none=True, metadata={"description": "record id (an attachment: its SHA-256)"}
    )
    label = Text(metadata={"description": "Chinese label of the record"})
    url = Text(metadata={"description": "where to see it (a page or an API path)"})


class AssessmentFindingOut(Out):
    """One deduction or bonus and the records behind it."""

    rule = Text()
    rule_zh = Text()
    rule_en = Text()
    points = Int()
    on = Day(allow_none=True, metadata={"description": "the day it counts on (China time)"})
    what = Text(metadata={"description": "what happened (English for records, the event's text)"})
    what_zh = Text(metadata={"description": "the same in Chinese"})
    links = ma.fields.List(ma.fields.Nested(AssessmentLinkOut))
    detail = ma.fields.Dict(metadata={"description": "the fault's clocks, the event's author, ..."})


def _points(findings: list[dict]) -> list[dict]:
    """The finding dicts as AssessmentFindingOut would dump them, without a schema per point."""
    return [{**f, "on": f["on"].isoformat() if f["on"] else None} for f in findings]


class AssessmentRuleOut(Out):
    code = Text()
    name_zh = Text()
    name_en = Text()
    points = Int(
        allow_none=True, metadata={"description": "per occurrence; null: computed or chosen"}
    )
    source = enum(SOURCES)
    evidence = ma.fields.Boolean(metadata={"description": "an event needs an attachment"})
    low = Int(allow_none=True, metadata={"description": "lowest points an event may carry"})
    high = Int(allow_none=True)
    choices = ma.fields.List(Int())
    zero_item = ma.fields.Boolean()


class AssessmentLineOut(Out):
    code = Text()
    name_zh = Text()
    name_en = Text()
    max_points = Int()
    deducted = Int()
    added = Int()
    score = Int(metadata={"description": "never below 0; bonuses may exceed max_points"})
    zeroed = ma.fields.Boolean()
    rules = ma.fields.List(ma.fields.Nested(AssessmentRuleOut))
    # A year holds thousands of points: they are pre-shaped by view.finding_dict and passed
    # through (the only non-JSON value is the day), documented as AssessmentFindingOut.
    deductions = Computed(
        lambda line: _points(line["deductions"]),
        like=ma.fields.List(ma.fields.Nested(AssessmentFindingOut)),
    )
    bonuses = Computed(
        lambda line: _points(line["bonuses"]),
        like=ma.fields.List(ma.fields.Nested(AssessmentFindingOut)),
    )
    evidence = Computed(
        lambda line: _points(line["evidence"]),
        like=ma.fields.List(ma.fields.Nested(AssessmentFindingOut)),
        metadata={"description": "records shown on the line at 0 points (guarantee meetings)"},
    )


class AssessmentFormOut(Out):
    code = enum(ASSESSMENT_FORMS)
    name_zh = Text()
    name_en = Text()
    pass_mark = Int()
    max_points = Int()
    total = Int()
    passed = ma.fields.Boolean()
    lines = ma.fields.List(ma.fields.Nested(AssessmentLineOut))


class AssessmentPeriodOut(Out):
    label = Text()
    first = Day(metadata={"description": "first day scored (inside the contract term)"})
    last = Day()
    contract_first = Day()
    contract_last = Day()


class AssessmentMoneyOut(Out):
    contract_value = Int(metadata={"description": "yuan"})
    deposit = Int(metadata={"description": "the 10 % performance deposit"})
    deposit_forfeited = Int()
    deposit_returned = Int()
    final_payment = Int(metadata={"description": "the final 20 % payment"})
    final_payment_due = ma.fields.Boolean()
    at_stake = Int()
    band = enum(("pass", "half", "all"))


class AssessmentProjectedFormOut(Out):
    total = Int()
    passed = ma.fields.Boolean()


class AssessmentProjectionOut(Out):
    days_over = Int()
    days = Int()
    forms = ma.fields.Dict(keys=Text(), values=ma.fields.Nested(AssessmentProjectedFormOut))
    total = Int()
    passed = ma.fields.Boolean()


class AssessmentRiskOut(Out):
    form = enum(ASSESSMENT_FORMS)
    item = Text()
    rule = Text()
    points = Int()
    what = Text()


class AssessmentAtRiskOut(Out):
    month = Text()
    items = ma.fields.List(ma.fields.Nested(AssessmentRiskOut))
    points = Int(metadata={"description": "what the rest of this month can still cost"})


class AssessmentOut(Out):
    period = ma.fields.Nested(AssessmentPeriodOut)
    as_of = Timestamp()
    total = Int(metadata={"description": "the lower form's total: it decides the money"})
    passed = ma.fields.Boolean()
    money = ma.fields.Nested(AssessmentMoneyOut)
    forms = ma.fields.List(ma.fields.Nested(AssessmentFormOut))
    projection = ma.fields.Nested(AssessmentProjectionOut, allow_none=True)
    at_risk = ma.fields.Nested(AssessmentAtRiskOut, allow_none=True)


class AssessmentAttachmentOut(Out):
    sha256 = Text()
    content_type = Text()
    name = Text()
    size = Int()
    url = Text()


class AssessmentPersonOut(Out):
    id = Int()
    name = Text()


class AssessmentEventOut(Out):
    id = Int()
    form = enum(ASSESSMENT_FORMS)
    item = Text()
    rule = Text()
    points = Int()
    occurred_on = Day()
    description = Text()
    attachments = ma.fields.List(ma.fields.Nested(AssessmentAttachmentOut))
    fault_id = Int(allow_none=True)
    withdrawn = ma.fields.Boolean()
    supersedes_id = Int(allow_none=True)
    superseded_by_id = Int(allow_none=True)
    entered_by = ma.fields.Nested(AssessmentPersonOut)
    entered_at = Timestamp()


class AssessmentEventListOut(Out):
    items = ma.fields.List(ma.fields.Nested(AssessmentEventOut))


class AssessmentStoredOut(Out):
    sha256 = Text()
    size = Int()
    content_type = Text()
    created = ma.fields.Boolean(metadata={"description": "false: it was already there"})
