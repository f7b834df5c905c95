"""The one calendar: quarters (2026Q1), months (2026-03), years (2026), date ranges and
working days, every period parameter parsed here.

Periods are calendar periods in China Standard Time (UTC+8, no daylight saving), where the
bureaus are: a visit at 23:30 UTC on 31 March belongs to the second quarter. A quarter is
always spelt 2026Q1 (a lower-case q is read too); 2026-Q1 and other spellings are refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

from server.errors import Invalid

CST = timezone(timedelta(hours=8), "CST")  # the one time zone of the calendar
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")
QUARTER_FORM = ("YYYYQn (n = 1..4)", "2026Q1")
MONTH_FORM = ("YYYY-MM", "2026-03")
YEAR_FORM = ("YYYY", "2026")
# The same forms as patterns of the API's query parameters (a year 2000..2100, like the parsers).
_YEARS = "(20[0-9]{2}|2100)"
QUARTER_PATTERN = f"^{_YEARS}[Qq][1-4]$"
MONTH_PATTERN = f"^{_YEARS}-(0[1-9]|1[0-2])$"
YEAR_PATTERN = f"^{_YEARS}$"
PLAN_PERIOD_FORM = ("YYYYQn (quarterly), YYYY-MM (daily) or YYYY (monthly)", "2026Q1")
PLAN_PERIOD_PATTERN = f"^{_YEARS}([Qq][1-4]|-(0[1-9]|1[0-2]))?$"
MAX_RANGE_DAYS = 366 * 6  # a from/to range: up to six years


def form_hint(form: tuple[str, str]) -> str:
    """The message a refused value gets: 'use the form YYYY-MM, e.g. 2026-03'."""
    return f"use the form {form[0]}, e.g. {form[1]}"


def _bad(field: str, value: str, form: tuple[str, str], location: str) -> Invalid:
    return Invalid(
        f"{field} '{value}' is not in the form {form[0]}, e.g. {form[1]}.",
        errors={location: {field: [form_hint(form)]}},
    )


def _in_range(year: str) -> bool:
    return 2000 <= int(year) <= 2100


def parse_quarter(value: str, field: str = "period", location: str = "json") -> tuple[int, int]:
    """'2026Q1' -> (2026, 1); anything else is a clear 422."""
    match = _QUARTER.match(str(value).strip().upper())
    if not match or not _in_range(match[1]):
        raise _bad(field, value, QUARTER_FORM, location)
    return int(match[1]), int(match[2])


def parse_month(value: str, field: str = "period", location: str = "json") -> tuple[int, int]:
    match = _MONTH.match(str(value).strip())
    if not match or not _in_range(match[1]):
        raise _bad(field, value, MONTH_FORM, location)
    return int(match[1]), int(match[2])


def parse_year(value: str, field: str = "period", location: str = "json") -> int:
    match = _YEAR.match(str(value).strip())
    if not match or not _in_range(match[1]):
        raise _bad(field, value, YEAR_FORM, location)
    return int(match[1])


def quarter_key(year: int, quarter: int) -> str:
    return f"{year}Q{quarter}"


def quarter_index(year: int, quarter: int) -> int:
    """A running number: consecutive quarters differ by one."""
    return year * 4 + quarter - 1


def index_to_quarter(index: int) -> tuple[int, int]:
    return index // 4, index % 4 + 1


def quarter_of(moment: datetime | date) -> int:
    """The quarter index a moment (aware UTC datetime) or a date falls in, China time."""
    day = moment.astimezone(CST).date() if isinstance(moment, datetime) else moment
    return quarter_index(day.year, (day.month - 1) // 3 + 1)


def quarter_dates(year: int, quarter: int) -> tuple[date, date]:
    """First day and the day after the last day of a quarter."""
    start = date(year, 3 * quarter - 2, 1)
    end = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return start, end


def day_start(day: date) -> datetime:
    """Midnight China time of a day, as an aware datetime."""
    return datetime.combine(day, time(0), tzinfo=CST)


def local_day(moment: datetime) -> date:
    """The China-time day of an aware datetime."""
    return moment.astimezone(CST).date()


def month_dates(year: int, month: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), end


def current_month(now: datetime) -> str:
    """'2026-04' for any moment of April in China time."""
    day = local_day(now)
    return f"{day.year}-{day.month:02d}"


@dataclass(frozen=True)
class Span:
    """A period of whole China-time days: [first, after), with its label (2026-03, 2026Q1,
    2026, or 2026-01-01..2026-06-30)."""

    label: str
    first: date
    after: date

    @property
    def start(self) -> datetime:
        """Its first instant, in UTC."""
        return day_start(self.first).astimezone(UTC)

    @property
    def end(self) -> datetime:
        """The first instant after it, in UTC."""
        return day_start(self.after).astimezone(UTC)


def month_span(year: int, month: int) -> Span:
    return Span(f"{year}-{month:02d}", *month_dates(year, month))


def quarter_span(year: int, quarter: int) -> Span:
    return Span(quarter_key(year, quarter), *quarter_dates(year, quarter))


def year_span(year: int) -> Span:
    return Span(str(year), date(year, 1, 1), date(year + 1, 1, 1))


def range_span(first: date, last: date, location: str = "query") -> Span:
    """from/to, both days inclusive."""
    if last < first:
        raise Invalid(
            f"The range ends ({last}) before it starts ({first}).",
            errors={location: {"to": ["must not be before from"]}},
        )
    if (last - first).days > MAX_RANGE_DAYS:
        raise Invalid("Ranges are limited to six years.", errors={location: {"to": ["too far"]}})
    return Span(f"{first}..{last}", first, last + timedelta(days=1))


def query_span(args: dict, default: Span | None = None, location: str = "query") -> Span:
    """The one period a query names: month, quarter, year, or from and to (inclusive days);
    the default when it names none (None: a 422). Giving two kinds is a 422 naming them."""
    kinds = [name for name in ("month", "quarter", "year") if args.get(name)]
    if args.get("from") or args.get("to"):
        kinds.append("from/to")
    if len(kinds) > 1:
        raise Invalid(
            f"Give one period, not {' and '.join(kinds)}.",
            errors={location: {kinds[0].split("/")[0]: [f"not together with {kinds[1]}"]}},
        )
    if not kinds:
        if default is not None:
            return default
        raise Invalid(
            "Give a period: a quarter (e.g. quarter=2026Q1) or both from and to dates.",
            errors={location: {"quarter": ["or from and to"]}},
        )
    kind = kinds[0]
    if kind == "month":
        return month_span(*parse_month(args["month"], "month", location))
    if kind == "quarter":
        return quarter_span(*parse_quarter(args["quarter"], "quarter", location))
    if kind == "year":
        return year_span(parse_year(args["year"], "year", location))
    if not (args.get("from") and args.get("to")):
        missing = "to" if args.get("from") else "from"
        raise Invalid(
            f"Give both from and to (inclusive days, e.g. 2026-01-01); {missing} is missing.",
            errors={location: {missing: ["give both from and to"]}},
        )
    return range_span(args["from"], args["to"], location)


def iso(value: datetime) -> str:
    """An instant as UTC with Z, e.g. 2026-03-01T02:00:00Z (naive values are UTC, as stored):
    the one time format of every answer (docs/api.md)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


# The contract term the assessment is scored over (config CONTRACT_START / CONTRACT_END replace
# it for a renewed contract); a period is clipped to it, and one with no day in it is refused.
CONTRACT_TERM = (date(2025, 1, 1), date(2025, 12, 31))
TERM = "term"  # the one-string name of the contract term (also the default period)
PERIOD_FORM = ("YYYY, YYYYQn, YYYY-MM, YYYY-MM-DD..YYYY-MM-DD or term", "2025Q4")
_DAY_RANGE = re.compile(r"^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$")


def _day(value: str, field: str, location: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise _bad(field, value, PERIOD_FORM, location) from None


def parse_period(
    value: str | None, field: str = "period", location: str = "query", term: tuple | None = None
) -> Span:
    """Any one period in one string: 2025, 2025Q4, 2025-12, 2025-01-01..2025-03-31, or `term`
    (the contract term; also what nothing means). Malformed or reversed: a 422 naming `field`."""
    text = str(value or TERM).strip()
    if text.lower() in (TERM, "contract"):
        first, last = term or CONTRACT_TERM
        return Span(f"{first}..{last}", first, last + timedelta(days=1))
    if _YEAR.match(text):
        return year_span(parse_year(text, field, location))
    if _QUARTER.match(text.upper()):
        return quarter_span(*parse_quarter(text, field, location))
    if _MONTH.match(text):
        return month_span(*parse_month(text, field, location))
    match = _DAY_RANGE.match(text)
    if not match:
        raise _bad(field, value, PERIOD_FORM, location)
    first, last = _day(match[1], field, location), _day(match[2], field, location)
    if last < first:
        raise Invalid(
            f"{field} '{value}' ends ({last}) before it starts ({first}).",
            errors={location: {field: ["reversed"]}},
        )
    if not (_in_range(str(first.year)) and _in_range(str(last.year))):
        raise Invalid(
            f"{field} '{value}' lies outside the years 2000..2100.",
            errors={location: {field: ["out_of_range"]}},
        )
    if (last - first).days > MAX_RANGE_DAYS:
        raise Invalid("Ranges are limited to six years.", errors={location: {field: ["too far"]}})
    return Span(f"{first}..{last}", first, last + timedelta(days=1))


def within_term(span: Span, field: str, location: str = "query", term: tuple | None = None) -> Span:
    """The part of a period inside the contract term; a 422 naming `field` if there is none."""
    first, last = term or CONTRACT_TERM
    start, after = max(span.first, first), min(span.after, last + timedelta(days=1))
    if start >= after:
        raise Invalid(
            f"The period {span.label} has no day in the contract term ({first}..{last}).",
            errors={location: {field: ["no_contract_days"]}},
        )
    if (start, after) == (span.first, span.after):
        return span
    return Span(span.label, start, after)


PERIOD_FORMS = {
    "month": MONTH_FORM,
    "quarter": QUARTER_FORM,
    "year": YEAR_FORM,
    "range": ("YYYY-MM-DD..YYYY-MM-DD (both days inclusive)", "2025-01-01..2025-12-31"),
}


def period_kind(text: str) -> str | None:
    """Which kind of one-string period `text` is written as (month, quarter, year, range)."""
    for kind, pattern in (("month", _MONTH), ("year", _YEAR), ("range", _DAY_RANGE)):
        if pattern.match(text):
            return kind
    return "quarter" if _QUARTER.match(text.upper()) else None


def parse_span(
    value: str, kinds=("month", "quarter", "year", "range"), field="period", location="query"
) -> Span:
    """parse_period limited to some kinds (a report is monthly or quarterly); another kind, or
    nothing, is a 422 naming the field with the forms it takes."""
    text = str(value or "").strip()
    if period_kind(text) not in kinds:
        forms = " or ".join(PERIOD_FORMS[k][0] for k in kinds)
        example = PERIOD_FORMS[kinds[0]][1]
        reason = "is not a period of this kind" if text else "is missing"
        raise Invalid(
            f"{field} '{text}' {reason}; use {forms}, e.g. {example}.",
            errors={location: {field: [f"use {forms}, e.g. {example}"]}},
        )
    return parse_period(text, field, location)
