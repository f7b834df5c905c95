"""The working-day calendar: the library's holidays and make-up days, overrides, unknown years."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog
from server.services.calendar import calendar_gaps, is_working_day, working_days
from server.services.calendar import overrides as override_service


def test_spring_festival_2025_and_its_makeup_sunday(app):
    # 2025: 28 Jan - 4 Feb off; Sunday 26 Jan and Saturday 8 Feb are make-up working days.
    days = working_days(date(2025, 1, 20), date(2025, 2, 9))
    assert date(2025, 1, 26) in days  # a Sunday, worked
    assert date(2025, 2, 8) in days  # a Saturday, worked
    assert not any(date(2025, 1, 28) <= d <= date(2025, 2, 4) for d in days)
    assert date(2025, 2, 5) in days and date(2025, 2, 9) not in days
    assert is_working_day(date(2025, 1, 26)) and not is_working_day(date(2025, 1, 29))
    assert calendar_gaps(date(2025, 1, 1), date(2026, 12, 31)) == []


def test_bounds_are_inclusive(app):
    assert working_days(date(2025, 3, 3), date(2025, 3, 3)) == [date(2025, 3, 3)]
    assert len(working_days(date(2025, 11, 1), date(2025, 11, 30))) == 20


def test_override_wins_and_is_audited(app):
    admin_day = date(2025, 3, 3)  # a Monday
    override_service.set_override(admin_day, False, "停电检修，全局放假", None)
    db.session.commit()
    assert not is_working_day(admin_day)
    assert admin_day not in working_days(date(2025, 3, 1), date(2025, 3, 31))
    override_service.delete_override(admin_day)
    db.session.commit()
    assert is_working_day(admin_day)
    actions = db.session.scalars(
        sa.select(AuditLog.action).where(AuditLog.entity == "calendar_override")
    ).all()
    assert sorted(actions) == ["create", "delete"], actions


def test_unknown_year_is_a_gap_with_the_weekday_rule(app):
    assert calendar_gaps(date(2026, 12, 1), date(2027, 1, 31)) == [2027]
    january = working_days(date(2027, 1, 1), date(2027, 1, 31))
    assert date(2027, 1, 1) in january  # New Year's Day is not known: Friday counts
    assert all(d.weekday() < 5 for d in january)
    override_service.set_override(date(2027, 1, 1), False, "元旦", None)
    db.session.commit()
    assert calendar_gaps(date(2027, 1, 1), date(2027, 12, 31)) == []
    assert date(2027, 1, 1) not in working_days(date(2027, 1, 1), date(2027, 1, 31))
