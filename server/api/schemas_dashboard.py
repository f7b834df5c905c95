"""Response schema of the dashboard: the dicts services/dashboard/now.py and trends.py build,
key for key (see api/out.py)."""

import marshmallow as ma

from server.api.out import Day, Out, Timestamp, enum
from server.api.schemas_assessment import AssessmentProjectionOut
from server.api.schemas_faults import ClocksOut
from server.models import FAULT_SEVERITIES, FAULT_STEPS
from server.services.faults.sla import CLOCK_NAMES

Text = ma.fields.String
Int = ma.fields.Integer


class DashSiteOut(Out):
    code = Text()
    name = Text()


class DashCheckOut(Out):
    visit_id = Int()
    started_at = Timestamp()
    finished_at = Timestamp(allow_none=True)
    username = Text()
    display_name = Text()


class DashMonthChecksOut(Out):
    due_days = Int(metadata={"description": "working days of this month before today"})
    checked_days = Int()
    missed_days = Int()


class DashDailyOut(Out):
    day = Day()
    working_day = ma.fields.Boolean()
    done = ma.fields.Boolean()
    site = ma.fields.Nested(DashSiteOut, allow_none=True)
    plan_entry_id = Int(allow_none=True)
    checks = ma.fields.List(ma.fields.Nested(DashCheckOut))
    month = ma.fields.Nested(DashMonthChecksOut)


class DashFaultOut(Out):
    id = Int()
    tag = Text()
    site_code = Text(allow_none=True)
    site_name = Text(allow_none=True)
    state = enum(FAULT_STEPS)
    severity = enum(FAULT_SEVERITIES)
    reported_at = Timestamp()
    assignee = Text(allow_none=True)
    clocks = ma.fields.Nested(ClocksOut)
    breached = ma.fields.List(enum(CLOCK_NAMES))
    about_to_breach = ma.fields.List(enum(CLOCK_NAMES))


class DashFaultsOut(Out):
    open = Int()
    breached = Int(metadata={"description": "open faults with a clock breached"})
    about_to_breach = Int()
    items = ma.fields.List(ma.fields.Nested(DashFaultOut))


class DashPlanOut(Out):
    quarter = Text()
    bureaus = Int()
    planned = Int()
    planned_visited = Int()
    visited = Int()
    missed = Int()


class DashOverdueRowOut(Out):
    code = Text()
    name = Text()
    prefecture = Text(allow_none=True)
    last_visit = Text(allow_none=True, metadata={"description": "with the China-time offset"})


class DashOverdueOut(Out):
    count = Int()
    items = ma.fields.List(ma.fields.Nested(DashOverdueRowOut))


class DashLowStockOut(Out):
    type_code = Text()
    name_zh = Text()
    name_en = Text(allow_none=True)
    count = Int()
    min_count = Int()


class DashSparesOut(Out):
    total = Int()
    low_stock = ma.fields.List(ma.fields.Nested(DashLowStockOut))


class DashReviewOut(Out):
    conflicts = Int()
    swaps = Int()
    clock = Int()
    photos = Int()
    set_aside = Int(metadata={"description": "refused records a phone set aside with a reason"})
    lost = Int(metadata={"description": "records phones held unsent that never arrived"})


class DashAssessmentOut(Out):
    period = Text()
    score = Int(metadata={"description": "both forms' lower total so far"})
    projection = ma.fields.Nested(AssessmentProjectionOut)
    at_risk_points = Int()


class DashMeetingOut(Out):
    id = Int()
    title = Text()
    starts_at = Timestamp()


class DashMeetingsOut(Out):
    days = Int(metadata={"description": "how far ahead"})
    count = Int()
    items = ma.fields.List(ma.fields.Nested(DashMeetingOut))


class DashPeriodOut(Out):
    label = Text()
    first = Day()
    last = Day()


class DashFaultMonthOut(Out):
    month = Text()
    reported = Int()
    resolved = Int()
    rate = ma.fields.Float(allow_none=True)


class DashBandOut(Out):
    up_to_minutes = Int(allow_none=True)
    deduction = Int()


class DashResponseMonthOut(Out):
    month = Text()
    counts = ma.fields.List(Int(), metadata={"description": "responses per band, as `bands`"})


class DashDailyMonthOut(Out):
    month = Text()
    due = Int()
    checked = Int()


class DashCoverageOut(Out):
    quarter = Text()
    prefecture = Text()
    name = Text()
    bureaus = Int()
    planned = Int()
    visited = Int()


class DashTrendsOut(Out):
    period = ma.fields.Nested(DashPeriodOut)
    months = ma.fields.List(Text())
    faults = ma.fields.List(ma.fields.Nested(DashFaultMonthOut))
    bands = ma.fields.List(ma.fields.Nested(DashBandOut))
    response = ma.fields.List(ma.fields.Nested(DashResponseMonthOut))
    daily_checks = ma.fields.List(ma.fields.Nested(DashDailyMonthOut))
    coverage = ma.fields.List(ma.fields.Nested(DashCoverageOut))


class DashboardOut(Out):
    now = Timestamp()
    today = Day()
    daily_check = ma.fields.Nested(DashDailyOut)
    faults = ma.fields.Nested(DashFaultsOut)
    plan = ma.fields.Nested(DashPlanOut)
    overdue = ma.fields.Nested(DashOverdueOut)
    spares = ma.fields.Nested(DashSparesOut)
    review = ma.fields.Nested(
        DashReviewOut, allow_none=True, metadata={"description": "null for viewers"}
    )
    assessment = ma.fields.Nested(
        DashAssessmentOut, allow_none=True, metadata={"description": "null outside the term"}
    )
    meetings = ma.fields.Nested(DashMeetingsOut)
    trends = ma.fields.Nested(DashTrendsOut)
