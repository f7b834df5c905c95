"""The contract's fault clocks as data, and pure functions that compute their states.

Nothing here reads the wall clock: callers pass `now`, so tests freeze time by
passing a fixed datetime. Every datetime is aware (UTC in, UTC out).

Calendar: remote support is 7x24, so every clock runs in calendar hours, nights,
weekends and holidays included. The periods of the statistics (months, quarters, years) are
server/periods.py's, cut at midnight China time.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace
from datetime import datetime, timedelta

# Response bands: (response no later than, assessment deduction). The contract's
# thresholds are 10 / 30 / 60 minutes: "later than 10 min -1, 30 min -5, 1 h -10,
# beyond 1 h -20". Reading (docs/faults.md): up to 10 min costs nothing; the band
# ending at 2 h is our reading of "1 h" (late by up to another hour) before "beyond".
RESPONSE_BANDS: tuple[tuple[timedelta | None, int], ...] = (
    (timedelta(minutes=10), 0),
    (timedelta(minutes=30), -1),
    (timedelta(minutes=60), -5),
    (timedelta(minutes=120), -10),
    (None, -20),
)
RESPONSE_TARGET = timedelta(minutes=10)
WORK_LIMIT = timedelta(hours=3)  # hours of work (from diagnosis start) before a spare is due
SPARE_LIMIT = timedelta(hours=24)  # a same-or-better spare in place, from the report
SPARE_LIMIT_URGENT = timedelta(hours=2)  # ... when an urgent meeting is waiting
HANDLING_LIMIT = timedelta(hours=4)  # overall handling: report -> service restored
RESOLUTION_RATE_TARGET = 0.95  # must be *above* 95 %
WARNING_WINDOWS = {  # "about to breach" when this little time is left
    "response": timedelta(minutes=5),
    "work": timedelta(minutes=30),
    "spare": timedelta(minutes=30),
    "handling": timedelta(minutes=30),
}
CLOCK_NAMES = ("response", "work", "spare", "handling")


def _secs(value: timedelta | None) -> int | None:
    return None if value is None else int(value.total_seconds())


def pack_constants() -> dict:
    """The rules above in seconds, for the field pack: the phone's sla.js keeps only the arithmetic."""
    secs = _secs
    return {
        "response_bands": [[secs(limit), points] for limit, points in RESPONSE_BANDS],
        "response_target": secs(RESPONSE_TARGET),
        "work_limit": secs(WORK_LIMIT),
        "spare_limit": secs(SPARE_LIMIT),
        "spare_limit_urgent": secs(SPARE_LIMIT_URGENT),
        "handling_limit": secs(HANDLING_LIMIT),
        "warning_windows": {name: secs(value) for name, value in WARNING_WINDOWS.items()},
    }


@dataclass(frozen=True)
class FaultTimes:
    """The step times a fault's clocks depend on (None: not reached yet)."""

    reported_at: datetime
    urgent_meeting: bool = False
    responded_at: datetime | None = None
    diagnosing_at: datetime | None = None
    spare_installed_at: datetime | None = None
    resolved_at: datetime | None = None


@dataclass(frozen=True)
class ClockState:
    """One clock at `now`: running, met, breached, about_to_breach, not_started or not_needed."""

    name: str
    state: str
    started_at: datetime | None
    due_at: datetime | None
    stopped_at: datetime | None
    elapsed_seconds: int
    remaining_seconds: int | None
    breached: bool
    about_to_breach: bool
    deduction: int = 0

    def as_dict(self) -> dict:
        data = asdict(self)
        for key in ("started_at", "due_at", "stopped_at"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


def _clock(
    name: str, start: datetime | None, limit: timedelta, stop: datetime | None, now: datetime
) -> ClockState:
    """A countdown from `start` lasting `limit`, stopped at `stop` (if any), seen at `now`."""
    if start is None:
        return ClockState(name, "not_started", None, None, None, 0, None, False, False)
    due = start + limit
    end = stop if stop is not None else now
    elapsed = max(0, int((end - start).total_seconds()))
    remaining = int((due - end).total_seconds())
    breached = end > due
    warning = WARNING_WINDOWS[name]
    about = stop is None and not breached and timedelta(seconds=remaining) <= warning
    if stop is not None:
        state = "breached" if breached else "met"
    else:
        state = "breached" if breached else ("about_to_breach" if about else "running")
    return ClockState(name, state, start, due, stop, elapsed, remaining, breached, about)


def response_deduction(response: timedelta | None) -> int:
    """The assessment deduction for a response this late (None: no response yet, worst band)."""
    for limit, points in RESPONSE_BANDS:
        if limit is not None and response is not None and response <= limit:
            return points
    return RESPONSE_BANDS[-1][1]


def response_clock(t: FaultTimes, now: datetime) -> ClockState:
    clock = _clock("response", t.reported_at, RESPONSE_TARGET, t.responded_at, now)
    late = (t.responded_at or now) - t.reported_at
    points = response_deduction(late) if clock.breached else 0
    return replace(clock, deduction=points)  # replace(): no deep copy of the datetimes


def work_clock(t: FaultTimes, now: datetime) -> ClockState:
    """3 hours of work from diagnosis start; stopped by resolution (a spare does not stop it)."""
    return _clock("work", t.diagnosing_at, WORK_LIMIT, t.resolved_at, now)


def restored_at(t: FaultTimes) -> datetime | None:
    """When the site got working equipment back: a spare in place, or the fault resolved."""
    stops = [x for x in (t.spare_installed_at, t.resolved_at) if x is not None]
    return min(stops) if stops else None


def spare_clock(t: FaultTimes, now: datetime) -> ClockState:
    """A spare within 24 h (2 h for an urgent meeting) of the report, unless fixed first.

    Not needed when the fault was resolved within its 3 hours of work and before the due time.
    """
    limit = SPARE_LIMIT_URGENT if t.urgent_meeting else SPARE_LIMIT
    clock = _clock("spare", t.reported_at, limit, restored_at(t), now)
    fixed_in_time = (
        t.resolved_at is not None and t.spare_installed_at is None and not clock.breached
    )
    if fixed_in_time:
        return replace(clock, state="not_needed")
    return clock


def handling_clock(t: FaultTimes, now: datetime) -> ClockState:
    """Overall handling: from the report until service is restored (spare or fix), 4 hours."""
    return _clock("handling", t.reported_at, HANDLING_LIMIT, restored_at(t), now)


def clocks(t: FaultTimes, now: datetime) -> dict[str, ClockState]:
    """Every clock of one fault at `now`."""
    return {
        "response": response_clock(t, now),
        "work": work_clock(t, now),
        "spare": spare_clock(t, now),
        "handling": handling_clock(t, now),
    }


def resolution_rate(reported: list[FaultTimes], as_of: datetime) -> dict:
    """Share of the period's faults resolved by `as_of`; the target is *above* 95 %."""
    total = len(reported)
    resolved = sum(1 for t in reported if t.resolved_at is not None and t.resolved_at <= as_of)
    rate = resolved / total if total else None
    return {
        "reported": total,
        "resolved": resolved,
        "rate": rate,
        "target": RESOLUTION_RATE_TARGET,
        "met": None if rate is None else rate > RESOLUTION_RATE_TARGET,
    }


def summarize(reported: list[FaultTimes], now: datetime) -> dict:
    """Per-clock counts, response bands, deduction estimate and resolution rate of a period."""
    per_clock = {
        name: {
            "met": 0,
            "breached": 0,
            "running": 0,
            "about_to_breach": 0,
            "not_started": 0,
            "not_needed": 0,
        }
        for name in CLOCK_NAMES
    }
    bands: dict[int, int] = {points: 0 for _, points in RESPONSE_BANDS}
    deductions = 0
    for times in reported:
        for name, clock in clocks(times, now).items():
            per_clock[name][clock.state] += 1
        response = response_clock(times, now)
        if response.state in ("met", "breached"):
            bands[response.deduction] += 1
        deductions += response.deduction
    return {
        "clocks": per_clock,
        "response_bands": [
            {
                "up_to_minutes": None if limit is None else int(limit.total_seconds() // 60),
                "deduction": points,
                "count": bands[points],
            }
            for limit, points in RESPONSE_BANDS
        ],
        "response_deduction_estimate": deductions,
        "resolution": resolution_rate(reported, now),
    }
