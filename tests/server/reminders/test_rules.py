"""The rules at frozen moments: a fault's response clock warns at 5 of 10 minutes and breaches
after 10; the daily check reminds the engineers at 10:00 and the supervisors at 11:00 on a
working day, never on a public holiday, and not once the check is recorded."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from server.services.reminders import rules, rules_daily, rules_faults
from tests.server.reminders.conftest import WORKDAY

DEFAULTS = {name: rule.defaults() for name, rule in rules.RULES.items()}


def _keys(events):
    return [(e.rule, e.key) for e in events]


def test_response_clock_warns_at_five_minutes_left_then_breaches(fault):
    params = DEFAULTS["fault_clock_warning"]
    assert rules_faults.clock_warnings(WORKDAY + timedelta(minutes=4, seconds=59), params) == []
    warned = rules_faults.clock_warnings(WORKDAY + timedelta(minutes=5), params)
    assert _keys(warned) == [("fault_clock_warning", f"fault:{fault.id}:response")]
    assert "还剩 5 分钟" in warned[0].title and warned[0].path == f"/faults?fault={fault.id}"
    assert not warned[0].urgent
    breach = DEFAULTS["fault_clock_breach"]
    assert rules_faults.clock_breaches(WORKDAY + timedelta(minutes=10), breach) == []
    breached = rules_faults.clock_breaches(WORKDAY + timedelta(minutes=10, seconds=1), breach)
    assert _keys(breached) == [("fault_clock_breach", f"fault:{fault.id}:response")]
    assert breached[0].urgent
    # an hour on, the breach is old news: nothing new to say (it was said at the time)
    assert rules_faults.clock_breaches(WORKDAY + timedelta(minutes=71), breach) == []


def test_a_responded_fault_stops_warning_about_its_response(fault, db):
    fault.responded_at = WORKDAY + timedelta(minutes=3)
    fault.state = "responded"
    db.session.commit()
    warned = rules_faults.clock_warnings(
        WORKDAY + timedelta(minutes=6), DEFAULTS["fault_clock_warning"]
    )
    assert [e.key for e in warned if e.key.endswith(":response")] == []


def test_the_warning_threshold_is_tunable(fault):
    params = {**DEFAULTS["fault_clock_warning"], "response_left": 8}
    warned = rules_faults.clock_warnings(WORKDAY + timedelta(minutes=2), params)
    assert [e.key for e in warned] == [f"fault:{fault.id}:response"]


def test_daily_check_reminds_engineers_then_supervisors_on_a_working_day(reference_data):
    params = DEFAULTS["daily_check_missing"]
    nine_59 = WORKDAY + timedelta(minutes=59)  # 09:59 China time
    assert rules_daily.daily_check_missing(nine_59, params) == []
    at_ten = rules_daily.daily_check_missing(WORKDAY + timedelta(hours=1), params)
    assert [(e.key, e.roles) for e in at_ten] == [("daily:2025-03-12:engineer", ("engineer",))]
    at_eleven = rules_daily.daily_check_missing(WORKDAY + timedelta(hours=2), params)
    assert [e.roles for e in at_eleven] == [("engineer",), ("supervisor",)]


def test_no_daily_check_reminder_on_a_public_holiday_or_weekend(reference_data):
    params = DEFAULTS["daily_check_missing"]
    national_day = datetime(2025, 10, 1, 4, 0, tzinfo=UTC)  # 12:00 China time
    saturday = datetime(2025, 3, 15, 4, 0, tzinfo=UTC)
    assert rules_daily.daily_check_missing(national_day, params) == []
    assert rules_daily.daily_check_missing(saturday, params) == []
    make_up_sunday = datetime(2025, 9, 28, 4, 0, tzinfo=UTC)  # 调休: a working Sunday
    assert len(rules_daily.daily_check_missing(make_up_sunday, params)) == 2


def test_a_recorded_daily_check_silences_the_reminder(reference_data, monkeypatch):
    from server.services.calendar import daily_checks

    monkeypatch.setattr(daily_checks, "checked_days", lambda site_id, start, end: {start})
    assert (
        rules_daily.daily_check_missing(
            WORKDAY + timedelta(hours=2), DEFAULTS["daily_check_missing"]
        )
        == []
    )
