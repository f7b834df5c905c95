"""The shape of the scorecards (forms, items, rules) and the readings of unclear clauses as
named constants (docs/assessment.md lists them); the two forms themselves are in forms.py.

A rule is either computed from the records (`records`), entered by a supervisor as an
assessment event (`event`), or entered as an event that names a fault whose clocks give the
points (`event_fault`: a contractor-caused outage). Readings of unclear clauses are the named
constants below; docs/assessment.md lists them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from server.services.faults import sla

PASS_MARK = 80
HALF_DEPOSIT_MARK = 60  # 60..79: half of the performance deposit is forfeited
CONTRACT_VALUE_YUAN = 1_191_500
DEPOSIT_SHARE = 0.10  # the performance deposit
FINAL_PAYMENT_SHARE = 0.20  # the final payment, paid on a passed assessment (reading)

# Reading: the response bands are the fault page's (server/services/faults/sla.py), whose edge of
# the "1 h" band at 2 h is its reading of "beyond 1 h -20".
RESPONSE_BANDS = sla.RESPONSE_BANDS
# Outage bands of a contractor-caused outage (report -> service restored). domain.md's
# "+10 per further hour" is read as a further deduction of 10 per started hour beyond the first.
OUTAGE_BANDS: tuple[tuple[timedelta, int], ...] = (
    (timedelta(minutes=10), -5),
    (timedelta(minutes=30), -10),
    (timedelta(hours=1), -20),
)
OUTAGE_EXTRA_HOUR_POINTS = -10
# Reading: a resolution rate not above 95 % is one service failure of the least severity.
RESOLUTION_RATE_POINTS = -2
# Reading: a missed monthly inspection, and each bureau short of the 30 a quarter, cost what a
# missed daily check costs (the form names only the daily check).
MISSED_MONTHLY_POINTS = -1
MISSED_QUARTERLY_POINTS = -1
QUARTERLY_SITES = 30
# The software form's SLA: response within 15 min and resolution within 2 h of the report.
SOFTWARE_RESPONSE_LIMIT = timedelta(minutes=15)
SOFTWARE_RESOLUTION_LIMIT = timedelta(hours=2)
# Reading: the major-events line deducts for a bad effect of weak support (-10) and for a security
# incident (-20); no record can decide either. So each guarantee meeting (the major-event flag or
# a major meeting) is shown on the line as evidence, its checks on time, late or missing, its
# incidents and register, and costs this much per late or missing check: 0, the deduction stays
# an event a supervisor enters. In-meeting incidents are evidence on the emergency line; one
# raised as a fault is scored by the fault's own clocks (late_response), not twice.
MAJOR_EVENT_LAPSE_POINTS = 0

# The backup item (software form) from the backup runs (backup_points.py): a daily cycle is
# kept by a backup file made that day; a failed restore check costs its own points, not also a
# missed cycle. Cycles are owed from config BACKUP_OWED_FROM, else the first recorded run's day.
MISSED_BACKUP_CYCLE_POINTS = -5
FAILED_RESTORE_CHECK_POINTS = -8

SOURCES = ("records", "event", "event_fault")


@dataclass(frozen=True)
class Rule:
    """One way to lose or win points on an item."""

    code: str
    zh: str
    en: str
    points: int | None  # per occurrence; None: computed per occurrence (bands)
    source: str = "event"
    evidence: bool = False  # an event needs at least one attachment
    low: int | None = None  # allowed points of an event (default: exactly `points`)
    high: int | None = None
    choices: tuple[int, ...] = ()  # allowed values within [low, high], when only some are
    zero_item: bool = False  # one occurrence sets the item to 0 (a data leak)

    @property
    def range(self) -> tuple[int, int]:
        low = self.low if self.low is not None else self.points
        high = self.high if self.high is not None else self.points
        return (low or 0, high or 0)

    def allows(self, points: int) -> bool:
        low, high = self.range
        return low <= points <= high and (not self.choices or points in self.choices)


@dataclass(frozen=True)
class Item:
    code: str
    zh: str
    en: str
    max_points: int
    rules: tuple[Rule, ...] = field(default=())


@dataclass(frozen=True)
class Form:
    code: str
    zh: str
    en: str
    items: tuple[Item, ...]
    pass_mark: int = PASS_MARK

    def item(self, code: str) -> Item | None:
        return next((i for i in self.items if i.code == code), None)


def outage_points(duration: timedelta) -> int:
    """The deduction for a contractor-caused outage this long."""
    for limit, points in OUTAGE_BANDS:
        if duration <= limit:
            return points
    extra = duration - OUTAGE_BANDS[-1][0]
    hours = -(-extra // timedelta(hours=1))  # every started hour beyond the first
    return OUTAGE_BANDS[-1][1] + OUTAGE_EXTRA_HOUR_POINTS * hours


def event_rule(code, zh, en, points, evidence=False, **kw) -> Rule:
    """A rule only people know: entered as an assessment event."""
    return Rule(code, zh, en, points, "event", evidence, **kw)


def records_rule(code, zh, en, points) -> Rule:
    """A rule the records show: computed by the scorer."""
    return Rule(code, zh, en, points, "records")
