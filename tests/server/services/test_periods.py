"""Quarters, months and working days."""
from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from server.errors import Invalid
from server.services import periods


@pytest.mark.parametrize("value", ["2026Q0", "2026Q5", "26Q1", "2026-Q1", "Q1 2026", "", "1999Q1"])
def test_bad_quarters(value):
    with pytest.raises(Invalid) as info:
        periods.parse_quarter(value)
    assert "YYYYQn" in info.value.message


def test_quarter_arithmetic():
    assert periods.parse_quarter("2026q1") == (2026, 1)
    index = periods.quarter_index(2026, 1)
    assert periods.index_to_quarter(index - 1) == (2025, 4)
    assert periods.quarter_dates(2026, 4) == (date(2026, 10, 1), date(2027, 1, 1))


def test_quarter_of_uses_china_time():
    late = datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc)  # 00:30 on 1 April in Guiyang
    assert periods.index_to_quarter(periods.quarter_of(late)) == (2026, 2)


def test_working_days_with_holidays_and_makeup_days():
    days = periods.working_days(date(2026, 10, 1), date(2026, 10, 12),
                                holidays=[date(2026, 10, 1), date(2026, 10, 2)],
                                makeup_days=[date(2026, 10, 10)])
    assert date(2026, 10, 1) not in days and date(2026, 10, 10) in days
    assert date(2026, 10, 3) not in days  # Saturday
