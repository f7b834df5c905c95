"""The working-day calendar: China's holidays and make-up days, admin overrides, gap warnings."""

from server.services.calendar.workdays import (
    calendar_gaps,
    day_facts,
    gap_warning,
    is_working_day,
    working_days,
)

__all__ = ["calendar_gaps", "day_facts", "gap_warning", "is_working_day", "working_days"]
