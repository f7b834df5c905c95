"""Working days, Monday to Friday.

# TEMPORARY: replaced by the calendar branch at merge (China's holidays and make-up days).
"""

from __future__ import annotations

from datetime import date, timedelta

from server import periods


def working_days(start: date, end: date) -> list[date]:
    """Working days from `start` to `end`, both inclusive (weekdays only, for now)."""
    return periods.working_days(start, end + timedelta(days=1))
