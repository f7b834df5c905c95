"""Working days: China's public holidays and make-up days (chinese-calendar), admin overrides on top.

A day's answer comes from, in order: an admin override (calendar_override), the library (the
State Council's announced schedule, 2004 up to the library's last year), or for a year the
library does not know and no override covers, the weekday rule (Monday to Friday) together
with a gap warning from calendar_gaps() that callers must show. See docs/calendar.md.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar
import sqlalchemy as sa

from server.extensions import db
from server.models import CalendarOverride

LIBRARY, OVERRIDE, WEEKDAY_RULE = "library", "override", "weekday_rule"
SOURCES = (LIBRARY, OVERRIDE, WEEKDAY_RULE)


@dataclass(frozen=True)
class DayFact:
    """One day of the calendar and where its answer comes from."""

    day: date
    working: bool
    source: str  # library, override or weekday_rule
    holiday: str | None  # the library's holiday code (spring_festival...), also on make-up days
    note: str | None  # the override's note


@functools.cache  # the installed library does not change while the process runs
def library_years() -> tuple[int, int]:
    """First and last year whose schedule the installed library knows."""
    known = chinese_calendar.holidays
    return min(known).year, max(known).year


def _library_knows(year: int) -> bool:
    first, last = library_years()
    return first <= year <= last


# The library answers each day by scanning its whole table (chinese_calendar._validate_date):
# its answers never change while the process runs, so a year's days are looked up once.
@functools.lru_cache(maxsize=8192)
def _holiday_code(day: date) -> str | None:
    _, name = chinese_calendar.get_holiday_detail(day)
    if name is None:
        return None
    return chinese_calendar.Holiday(name).name


@functools.lru_cache(maxsize=8192)
def _from_library(day: date) -> DayFact:
    working = chinese_calendar.is_workday(day)
    return DayFact(day, working, LIBRARY, _holiday_code(day), None)


def overrides_between(start: date, end: date) -> dict[date, CalendarOverride]:
    """The admin overrides of [start, end] (inclusive), by day."""
    rows = db.session.scalars(
        sa.select(CalendarOverride).where(
            CalendarOverride.day >= start, CalendarOverride.day <= end
        )
    )
    return {row.day: row for row in rows}


def _days(start: date, end: date):
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)


def day_facts(start: date, end: date) -> list[DayFact]:
    """Every day of [start, end] (inclusive) with its answer and source; one query."""
    overrides = overrides_between(start, end)
    facts = []
    for day in _days(start, end):
        override = overrides.get(day)
        if override is not None:
            holiday = _holiday_code(day) if _library_knows(day.year) else None
            facts.append(DayFact(day, override.is_working, OVERRIDE, holiday, override.note))
        elif _library_knows(day.year):
            facts.append(_from_library(day))
        else:
            facts.append(DayFact(day, day.weekday() < 5, WEEKDAY_RULE, None, None))
    return facts


def working_days(start: date, end: date) -> list[date]:
    """The working days of [start, end], both inclusive (unknown years: Monday to Friday,
    and calendar_gaps(start, end) names them)."""
    return [fact.day for fact in day_facts(start, end) if fact.working]


def is_working_day(day: date) -> bool:
    return day_facts(day, day)[0].working


def calendar_gaps(start: date, end: date) -> list[int]:
    """Years of [start, end] the library does not know and no admin override covers.

    A year counts as covered once it has at least one override: entering the announced
    schedule of a new year is the admin's statement that the year is taken in hand.
    """
    years = [y for y in range(start.year, end.year + 1) if not _library_knows(y)]
    if not years:
        return []
    covered = set(
        db.session.scalars(
            sa.select(CalendarOverride.day).where(
                CalendarOverride.day >= date(years[0], 1, 1),
                CalendarOverride.day <= date(years[-1], 12, 31),
            )
        )
    )
    covered_years = {day.year for day in covered}
    return [y for y in years if y not in covered_years]


def gap_warning(gaps: list[int]) -> str | None:
    """The sentence callers show for calendar_gaps (None when there is none)."""
    if not gaps:
        return None
    first, last = library_years()
    names = ", ".join(str(y) for y in gaps)
    return (
        f"The holiday schedule of {names} is not known (the library covers {first}-{last}); "
        "working days there are Monday to Friday until an admin enters the announced "
        "holidays and make-up days (PUT /api/v1/calendar/overrides/<day>), or the library "
        "is updated."
    )
