"""Response schemas of the coverage API: the per-bureau table, its detail lists, the map, one site.

They describe the dicts services/coverage/summary.py, coverage_details.py and coverage_map.py build,
key for key (see api/out.py); the figures are defined in docs/coverage.md.
"""

import marshmallow as ma

from server.api.out import Day, Out, Timestamp, enum, optional
from server.models import DEVICE_STATUSES, INSPECTION_KINDS, SITE_TIERS
from server.services.coverage.map import STATE_COLOURS

Text = ma.fields.String
Int = ma.fields.Integer
Bool = ma.fields.Boolean
TILE_STATES = tuple(STATE_COLOURS)


def _list(schema: type[Out], **kwargs) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema), **kwargs)


class PeriodOut(Out):
    label = Text(metadata={"description": "2026Q1, or from..to"})
    from_ = Day(data_key="from", attribute="from", metadata={"description": "first day"})
    to = Day(metadata={"description": "last day (inclusive)"})
    kind = enum(INSPECTION_KINDS)
    overdue_since = Day(metadata={"description": "a bureau not visited since is overdue"})


class FiltersOut(Out):
    prefecture = Text(allow_none=True)
    county = Text(allow_none=True)
    device_type = Text(allow_none=True)


class SummaryOut(Out):
    bureaus = Int()
    planned = Int()
    visited = Int()
    planned_visited = Int()
    planned_not_visited = Int()
    visited_unplanned = Int()
    expected_at_visited = Int()
    inspected = Int()
    missing = Int()
    unexpected = Int()
    failed_items = Int()
    overdue = Int()
    never_inspected = optional(Int(metadata={"description": "with include=never_inspected"}))


class SiteRowOut(Out):
    """One bureau; inspected, missing and unexpected are null when it was not visited."""

    code = Text()
    name = Text()
    tier = enum(SITE_TIERS)
    region_code = Text()
    region_name = Text()
    prefecture = Text()
    planned = Bool()
    engineer = Text(allow_none=True)
    due_date = Day(allow_none=True)
    visits = Int()
    visited = Bool()
    last_visit = Timestamp(allow_none=True, metadata={"description": "last visit in the period"})
    last_visit_ever = Timestamp(allow_none=True)
    expected = Int()
    inspected = Int(allow_none=True)
    missing = Int(allow_none=True)
    unexpected = Int(allow_none=True)
    failed_items = Int()
    overdue = Bool()
    missed = Bool()
    state = enum(TILE_STATES)


class OverdueOut(Out):
    code = Text()
    name = Text()
    prefecture = Text()
    last_visit = Timestamp(allow_none=True)


class DeviceRowOut(Out):
    site_code = Text()
    site_name = Text()
    tag = Text()
    type_code = Text()
    type_name = Text()
    room = Text()


class UnexpectedRowOut(Out):
    """A tag inspected at a bureau where it is not registered (registered_*: null if unknown)."""

    site_code = Text()
    site_name = Text()
    tag = Text()
    registered_site_code = Text(allow_none=True)
    registered_site_name = Text(allow_none=True)
    started_at = Timestamp()


class FailedRowOut(Out):
    site_code = Text()
    site_name = Text()
    tag = Text()
    item_key = Text()
    note = Text(allow_none=True)
    started_at = Timestamp()


class NeverInspectedOut(Out):
    count = Int()
    items = _list(DeviceRowOut)


class MissedDayOut(Out):
    day = Day()
    plan_entry_id = Int(allow_none=True)


class DailyChecksOut(Out):
    """Daily plans: the province bureau's working days counted one by one (kind=daily only)."""

    due_days = Int(metadata={"description": "working days of the period before today"})
    checked_days = Int()
    missed_days = Int()
    upcoming_days = Int(metadata={"description": "working days from today on"})
    missed = _list(MissedDayOut, metadata={"description": "oldest first, at most list_limit"})
    gaps = ma.fields.List(Int(), metadata={"description": "years the calendar does not know"})
    warning = Text(allow_none=True)


class ListTotalsOut(Out):
    missing = optional(Int())
    unexpected = optional(Int())
    failed = optional(Int())
    never_inspected = optional(Int())


class CoverageOut(Out):
    """The coverage table; the detail lists appear when named in `include`."""

    period = ma.fields.Nested(PeriodOut)
    filters = ma.fields.Nested(FiltersOut)
    summary = ma.fields.Nested(SummaryOut)
    daily_checks = ma.fields.Nested(
        DailyChecksOut,
        allow_none=True,
        metadata={"description": "kind=daily with the province bureau in scope, else null"},
    )
    sites = _list(SiteRowOut)
    overdue = _list(OverdueOut)
    list_limit = Int(metadata={"description": "rows per page of each detail list (per_page)"})
    list_page = Int(metadata={"description": "the page of the detail lists given (1 = first)"})
    list_totals = ma.fields.Nested(
        ListTotalsOut, metadata={"description": "rows in each included list, all pages"}
    )
    missing_devices = optional(_list(DeviceRowOut))
    unexpected_devices = optional(_list(UnexpectedRowOut))
    failed = optional(_list(FailedRowOut))
    never_inspected = optional(ma.fields.Nested(NeverInspectedOut))


class TileOut(Out):
    code = Text()
    name = Text()
    tier = enum(SITE_TIERS)
    prefecture = Text()
    county = Text()
    x = Int()
    y = Int()
    state = enum(TILE_STATES)
    colour = Text(metadata={"description": "#rrggbb"})
    planned = Bool()
    visited = Bool()
    expected = Int()
    inspected = Int(allow_none=True)
    missing = Int(allow_none=True)


class CoverageMapOut(Out):
    period = ma.fields.Nested(PeriodOut)
    summary = ma.fields.Nested(SummaryOut)
    width = Int()
    height = Int()
    tiles = _list(TileOut)
    legend = ma.fields.Dict(keys=enum(TILE_STATES), values=Text())
    prefectures = ma.fields.Dict(
        keys=Text(), values=Text(), metadata={"description": "code -> name"}
    )


class LastInspectionOut(Out):
    at = Timestamp()
    outcome = enum(("pass", "fail", "partial"))
    kind = enum(INSPECTION_KINDS)


class SiteDeviceOut(Out):
    tag = Text()
    status = enum(DEVICE_STATUSES)
    type_code = Text()
    type_name_zh = Text()
    type_name_en = Text()
    room = Text()
    last_inspection = ma.fields.Nested(LastInspectionOut, allow_none=True)
    inspected_in_period = optional(Bool(metadata={"description": "when a period is given"}))


class SiteVisitOut(Out):
    id = Int()
    started_at = Timestamp()
    kind = enum(INSPECTION_KINDS)
    plan_entry_id = Int(allow_none=True)
    inspections = Int()


class CoverageSiteOut(Out):
    code = Text()
    name = Text()
    tier = enum(SITE_TIERS)
    region_code = Text()
    prefecture = Text()
    devices = _list(SiteDeviceOut)
    visits = _list(SiteVisitOut, metadata={"description": "the ten most recent"})
