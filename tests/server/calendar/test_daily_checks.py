"""Missed daily checks are counted per working day, not as one missed bureau."""

from __future__ import annotations

from datetime import date

from server.extensions import db
from server.services.calendar import daily_ledger, missed_daily_checks
from server.services.plans import plans as plan_service
from tests.server.plans_helpers import FieldFactory, utc


def _province(reference_data, factory):
    site = reference_data["sites"]["520000"]
    device = factory.device("L09", room=reference_data["rooms"][("520000", "main_conference")])
    return site, device


def test_a_month_without_checks_is_every_working_day_missed(reference_data, factory, auth):
    factory.user("engineer")
    plan = plan_service.create_daily_plan("2025-11")
    db.session.commit()
    assert len(plan.entries) == 20  # November 2025: 20 working days, no holiday
    missed = missed_daily_checks(date(2025, 11, 1), date(2025, 11, 30))
    assert len(missed) == 20
    assert [m.plan_entry_id for m in missed] == [e.id for e in plan.entries]
    assert {m.site_code for m in missed} == {"520000"}
    body = auth("viewer").get("/api/v1/coverage?kind=daily&from=2025-11-01&to=2025-11-30")
    body = body.get_json()
    assert body["summary"]["planned_not_visited"] == 1  # the per-bureau view is unchanged
    checks = body["daily_checks"]
    assert (checks["due_days"], checks["checked_days"], checks["missed_days"]) == (20, 0, 20)
    assert checks["missed"][0] == {"day": "2025-11-03", "plan_entry_id": plan.entries[0].id}
    quarterly = auth("viewer").get("/api/v1/coverage?from=2025-11-01&to=2025-11-30").get_json()
    assert quarterly["daily_checks"] is None


def test_only_a_check_of_own_equipment_on_the_day_counts(reference_data, factory, auth):
    engineer = factory.user("engineer")
    site, device = _province(reference_data, factory)
    fields = FieldFactory()
    for day in (3, 4, 5):  # 09:00 China time
        fields.inspection(fields.visit(site, engineer, utc(2025, 11, day, 1), "daily"), device)
    fields.visit(site, engineer, utc(2025, 11, 6, 1), "daily")  # no inspection: not a check
    fields.inspection(fields.visit(site, engineer, utc(2025, 11, 8, 1), "daily"), device)  # Sat
    other = reference_data["sites"]["520102"]
    fields.inspection(fields.visit(other, engineer, utc(2025, 11, 7, 1), "daily"), device)
    # 23:30 China time on Monday 10 November is still that Monday (15:30 UTC).
    fields.inspection(fields.visit(site, engineer, utc(2025, 11, 10, 15, 30), "daily"), device)
    db.session.commit()
    ledger = daily_ledger(date(2025, 11, 1), date(2025, 11, 30))
    assert ledger.checked == [date(2025, 11, d) for d in (3, 4, 5, 10)]
    assert len(ledger.missed) == 16 and ledger.missed[0].plan_entry_id is None
    assert date(2025, 11, 6) in [m.day for m in ledger.missed]


def test_today_and_later_are_not_missed(reference_data):
    ledger = daily_ledger(date(2025, 11, 1), date(2025, 11, 30), today=date(2025, 11, 12))
    assert ledger.counts() == {
        "due_days": 7,
        "checked_days": 0,
        "missed_days": 7,
        "upcoming_days": 13,
    }


def test_spring_festival_days_are_not_owed(reference_data):
    missed = missed_daily_checks(date(2025, 1, 25), date(2025, 2, 9))
    days = [m.day for m in missed]
    assert date(2025, 1, 26) in days and date(2025, 2, 8) in days  # make-up days are owed
    assert not any(date(2025, 1, 28) <= d <= date(2025, 2, 4) for d in days)
