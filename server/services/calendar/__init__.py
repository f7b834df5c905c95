"""The working-day calendar: China's holidays and make-up days, admin overrides, gap warnings."""

from server.services.calendar.daily_checks import MissedDay, daily_ledger, missed_daily_checks
from server.services.calendar.workdays import (
    calendar_gaps,
    day_facts,
    gap_warning,
    is_working_day,
    working_days,
)

__all__ = [
    "MissedDay",
    "daily_ledger",
    "missed_daily_checks",
    "calendar_gaps",
    "day_facts",
    "gap_warning",
    "is_working_day",
    "working_days",
]
