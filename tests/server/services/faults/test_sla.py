"""The SLA clocks as pure functions: frozen `now`, across midnight and a weekend."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.services.faults import sla
from server.services.faults.sla import FaultTimes
from tests.server.frozen import cst

# 2026-03-06 is a Friday; 03-07/08 the weekend.
FRI_2355 = cst(2026, 3, 6, 23, 55)


@pytest.mark.parametrize(
    ("minutes", "points"),
    [
        (0, 0),
        (10, 0),
        (11, -1),
        (30, -1),
        (31, -5),
        (60, -5),
        (61, -10),
        (120, -10),
        (121, -20),
    ],
)
def test_response_bands_follow_the_assessment(minutes, points):
    assert sla.response_deduction(timedelta(minutes=minutes)) == points


def test_response_clock_across_midnight():
    times = FaultTimes(reported_at=FRI_2355)
    running = sla.response_clock(times, cst(2026, 3, 6, 23, 58))
    assert (running.state, running.remaining_seconds) == ("running", 420)
    about = sla.response_clock(times, cst(2026, 3, 7, 0, 2))
    assert (about.state, about.remaining_seconds) == ("about_to_breach", 180)
    late = sla.response_clock(
        FaultTimes(reported_at=FRI_2355, responded_at=cst(2026, 3, 7, 0, 7)), cst(2026, 3, 9, 9, 0)
    )
    assert (late.state, late.breached, late.deduction, late.elapsed_seconds) == (
        "breached",
        True,
        -1,
        720,
    )
    assert late.due_at == cst(2026, 3, 7, 0, 5)


def test_unanswered_fault_keeps_getting_worse():
    times = FaultTimes(reported_at=FRI_2355)
    assert sla.response_clock(times, cst(2026, 3, 7, 0, 30)).deduction == -5
    assert sla.response_clock(times, cst(2026, 3, 8, 12, 0)).deduction == -20


def test_work_clock_counts_three_calendar_hours_from_diagnosis_over_the_weekend():
    start = cst(2026, 3, 7, 23, 0)  # Saturday night
    times = FaultTimes(reported_at=start - timedelta(minutes=20), diagnosing_at=start)
    assert sla.work_clock(times, cst(2026, 3, 8, 1, 29)).state == "running"
    assert sla.work_clock(times, cst(2026, 3, 8, 1, 45)).state == "about_to_breach"
    breached = sla.work_clock(times, cst(2026, 3, 8, 2, 1))
    assert breached.breached and breached.due_at == cst(2026, 3, 8, 2, 0)
    fixed = FaultTimes(**{**times.__dict__, "resolved_at": cst(2026, 3, 8, 1, 59)})
    assert sla.work_clock(fixed, cst(2026, 3, 9, 8, 0)).state == "met"
    assert sla.work_clock(FaultTimes(reported_at=start), start).state == "not_started"


def test_spare_clock_runs_24_calendar_hours_through_the_weekend():
    friday = cst(2026, 3, 6, 18, 0)
    times = FaultTimes(reported_at=friday, diagnosing_at=friday + timedelta(minutes=5))
    assert sla.spare_clock(times, cst(2026, 3, 7, 17, 0)).state == "running"
    assert sla.spare_clock(times, cst(2026, 3, 7, 17, 45)).state == "about_to_breach"
    assert sla.spare_clock(times, cst(2026, 3, 7, 18, 1)).state == "breached"
    in_time = FaultTimes(**{**times.__dict__, "spare_installed_at": cst(2026, 3, 7, 17, 59)})
    assert sla.spare_clock(in_time, cst(2026, 3, 9, 9, 0)).state == "met"
    late = FaultTimes(**{**times.__dict__, "spare_installed_at": cst(2026, 3, 7, 18, 1)})
    assert sla.spare_clock(late, cst(2026, 3, 9, 9, 0)).state == "breached"


def test_urgent_meeting_spare_due_in_two_hours_across_midnight():
    times = FaultTimes(reported_at=cst(2026, 3, 6, 23, 0), urgent_meeting=True)
    clock = sla.spare_clock(times, cst(2026, 3, 7, 0, 45))
    assert clock.due_at == cst(2026, 3, 7, 1, 0) and clock.state == "about_to_breach"
    assert sla.spare_clock(times, cst(2026, 3, 7, 1, 0, 1)).state == "breached"


def test_spare_not_needed_when_fixed_in_time():
    times = FaultTimes(
        reported_at=FRI_2355,
        responded_at=FRI_2355,
        diagnosing_at=FRI_2355,
        resolved_at=cst(2026, 3, 7, 1, 0),
    )
    assert sla.spare_clock(times, cst(2026, 3, 8, 0, 0)).state == "not_needed"


def test_handling_clock_four_hours_stopped_by_spare_or_fix_across_midnight():
    reported = cst(2026, 3, 7, 22, 30)
    times = FaultTimes(reported_at=reported)
    assert sla.handling_clock(times, cst(2026, 3, 8, 2, 0)).state == "about_to_breach"
    assert sla.handling_clock(times, cst(2026, 3, 8, 2, 31)).state == "breached"
    spare = FaultTimes(reported_at=reported, spare_installed_at=cst(2026, 3, 8, 2, 29))
    assert sla.handling_clock(spare, cst(2026, 3, 9, 0, 0)).state == "met"
    fixed = FaultTimes(reported_at=reported, resolved_at=cst(2026, 3, 8, 2, 31))
    assert sla.handling_clock(fixed, cst(2026, 3, 9, 0, 0)).state == "breached"


def _fault(reported, resolved_after=None):
    return FaultTimes(
        reported_at=reported,
        responded_at=reported + timedelta(minutes=5),
        resolved_at=None if resolved_after is None else reported + resolved_after,
    )


def test_resolution_rate_must_be_above_95_percent():
    base = cst(2026, 3, 2, 9, 0)
    twenty = [_fault(base + timedelta(days=i % 27), timedelta(hours=1)) for i in range(19)]
    twenty.append(_fault(base))  # never resolved
    now = cst(2026, 4, 2)
    rate = sla.resolution_rate(twenty, now)
    assert (rate["reported"], rate["resolved"], rate["rate"], rate["met"]) == (20, 19, 0.95, False)
    rate = sla.resolution_rate(twenty + [_fault(base, timedelta(hours=2))], now)
    assert rate["met"] is True and rate["rate"] == pytest.approx(20 / 21)
    assert sla.resolution_rate([], now) == {
        "reported": 0,
        "resolved": 0,
        "rate": None,
        "target": 0.95,
        "met": None,
    }
    # Resolved only after `as_of`: not counted yet (frozen time).
    assert sla.resolution_rate([_fault(base, timedelta(days=40))], now)["resolved"] == 0


def test_summary_counts_clocks_bands_and_deductions():
    now = cst(2026, 3, 31, 12, 0)
    quick = _fault(cst(2026, 3, 3, 10, 0), timedelta(hours=1))
    slow = FaultTimes(reported_at=cst(2026, 3, 7, 23, 50), responded_at=cst(2026, 3, 8, 0, 35))
    summary = sla.summarize([quick, slow], now)
    assert summary["response_deduction_estimate"] == -5
    assert {b["deduction"]: b["count"] for b in summary["response_bands"]} == {
        0: 1,
        -1: 0,
        -5: 1,
        -10: 0,
        -20: 0,
    }
    assert (
        summary["clocks"]["handling"]["met"] == 1 and summary["clocks"]["handling"]["breached"] == 1
    )
    assert summary["resolution"]["resolved"] == 1


@given(
    report=st.datetimes(
        min_value=datetime(2026, 1, 1),
        max_value=datetime(2027, 1, 1),
        timezones=st.just(UTC),
    ),
    response=st.integers(min_value=0, max_value=600),
    look=st.integers(min_value=0, max_value=3000),
    urgent=st.booleans(),
)
def test_clock_states_agree_with_their_numbers(report, response, look, urgent):
    times = FaultTimes(
        reported_at=report,
        urgent_meeting=urgent,
        responded_at=report + timedelta(minutes=response),
        diagnosing_at=report + timedelta(minutes=response),
    )
    now = report + timedelta(minutes=look)
    for clock in sla.clocks(times, now).values():
        end = clock.stopped_at or now
        assert clock.breached == (end > clock.due_at)
        assert clock.remaining_seconds == int((clock.due_at - end).total_seconds())
        assert not (clock.breached and clock.about_to_breach)
        assert clock.state in ("running", "about_to_breach", "met", "breached")
    deductions = [sla.response_deduction(timedelta(minutes=m)) for m in (response, response + 1)]
    assert deductions[1] <= deductions[0] <= 0
