"""Plan periods: quarters (2026Q1), months (2026-03), years (2026) and working days.

Periods are calendar periods in China Standard Time (UTC+8, no daylight saving):
a visit at 23:30 UTC on 31 March belongs to the second quarter.
"""
from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta, timezone

from server.errors import Invalid

CST = timezone(timedelta(hours=8))
_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")
_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_YEAR = re.compile(r"^(\d{4})$")


def _bad(field: str, value: str, form: str, example: str) -> Invalid:
    return Invalid(f"{field} '{value}' is not in the form {form}, e.g. {example}.",
                   errors={"json": {field: [f"use the form {form}, e.g. {example}"]}})


def parse_quarter(value: str, field: str = "period") -> tuple[int, int]:
    """'2026Q1' -> (2026, 1); anything else is a clear 422."""
    match = _QUARTER.match(str(value).strip().upper())
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise _bad(field, value, "YYYYQn (n = 1..4)", "2026Q1")
    return int(match[1]), int(match[2])


def parse_month(value: str, field: str = "period") -> tuple[int, int]:
    match = _MONTH.match(str(value).strip())
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise _bad(field, value, "YYYY-MM", "2026-03")
    return int(match[1]), int(match[2])


def parse_year(value: str, field: str = "period") -> int:
    match = _YEAR.match(str(value).strip())
    if not match or not 2000 <= int(match[1]) <= 2100:
        raise _bad(field, value, "YYYY", "2026")
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


def month_dates(year: int, month: int) -> tuple[date, date]:
    end = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return date(year, month, 1), end


def working_days(start: date, end: date, holidays=(), makeup_days=()) -> list[date]:
    """Mon-Fri in [start, end), minus configured holidays, plus configured make-up days."""
    holidays, makeup_days = set(holidays), set(makeup_days)
    days = []
    day = start
    while day < end:
        if (day.weekday() < 5 and day not in holidays) or day in makeup_days:
            days.append(day)
        day += timedelta(days=1)
    return days
