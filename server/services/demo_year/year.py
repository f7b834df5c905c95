"""The demo year's calendar of work: plans made at each period's start, then day by day the
daily check, the quarter's visits, the month's inspection and the faults, in time order."""

from __future__ import annotations

import collections
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Plan, Site, User
from server.services.calendar import workdays
from server.services.demo_year import field as field_work
from server.services.demo_year import incidents
from server.services.demo_year.clock import Phone, china
from server.services.demo_year.photos import PhotoPool
from server.services.plans import plans as plan_service


@dataclass
class Options:
    """How much of the year to simulate; tests use a smaller one (scale)."""

    year: int = 2025
    months: int = 12
    quarterly_size: int = 30
    faults_per_month: int = 3
    missed_daily: int = 3  # working days without a daily check, spread over the months
    missed_visits_per_quarter: int = 1  # sampled bureaus left unvisited
    unreported_month: int = 8  # the month whose monthly inspection got no written summary
    seed: int = 2025

    @classmethod
    def scaled(cls, scale: float, **kwargs) -> Options:
        """A smaller year: fewer months, a smaller sample, fewer faults (scale in (0, 1])."""
        scale = min(max(scale, 0.05), 1.0)
        return cls(
            months=max(1, round(12 * scale)),
            quarterly_size=max(3, round(30 * scale)),
            faults_per_month=max(1, round(3 * scale)),
            missed_daily=max(1, round(3 * scale)),
            missed_visits_per_quarter=1,
            **kwargs,
        )


@dataclass
class Year:
    """What the simulation carries from day to day."""

    options: Options
    rng: random.Random
    engineers: list[User]
    supervisor: User
    phones: dict[int, Phone]
    photos: PhotoPool
    templates: dict
    province: Site
    counts: collections.Counter = field(default_factory=collections.Counter)
    later: list[tuple[datetime, object]] = field(default_factory=list)
    visits_on: dict[date, list] = field(default_factory=lambda: collections.defaultdict(list))


def _users() -> tuple[list[User], User]:
    engineers = list(
        db.session.scalars(
            sa.select(User).where(User.role == "engineer", User.active.is_(True)).order_by(User.id)
        )
    )
    supervisor = db.session.scalar(
        sa.select(User).where(User.role == "supervisor").order_by(User.id)
    )
    return engineers, supervisor


def start(options: Options) -> Year:
    rng = random.Random(options.seed)
    engineers, supervisor = _users()
    # One phone runs 45 s fast: its records show a measured clock skew, as real ones do.
    phones = {e.id: Phone(e, rng, skew_seconds=45 * (i % 2)) for i, e in enumerate(engineers)}
    return Year(
        options=options,
        rng=rng,
        engineers=engineers,
        supervisor=supervisor,
        phones=phones,
        photos=PhotoPool(rng),
        templates=field_work.templates(),
        province=plan_service.province_bureau(),
    )


def _last_day(options: Options) -> date:
    first, after = periods.month_dates(options.year, options.months)
    return after - timedelta(days=1)


def plan_quarter(year: Year, quarter: int) -> None:
    """The quarter's sample from the real planner; its entries get visit days on working days."""
    options = year.options
    period = periods.quarter_key(options.year, quarter)
    plan = plan_service.create_quarterly_plan(
        period, size=options.quarterly_size, seed=options.seed + quarter, user=year.supervisor
    )
    first, after = periods.quarter_dates(options.year, quarter)
    days = workdays.working_days(first, min(after - timedelta(days=1), _last_day(options)))
    entries = list(plan.entries)
    year.rng.shuffle(entries)
    for entry in entries[options.missed_visits_per_quarter :]:
        year.visits_on[year.rng.choice(days)].append(entry)


def _monthly_day(year: Year, month: int) -> date:
    first, after = periods.month_dates(year.options.year, month)
    days = workdays.working_days(first + timedelta(days=14), after - timedelta(days=1))
    return year.rng.choice(days)


def run(options: Options) -> Year:
    """Simulate the year in time order; returns the state with its counts."""
    year = start(options)
    monthly = plan_service.create_monthly_plan(
        str(options.year), seed=options.seed, user=year.supervisor
    )
    monthly_entries = {e.due_date.month: e for e in monthly.entries}
    last = _last_day(options)
    working = workdays.working_days(date(options.year, 1, 1), last)
    missed = set(year.rng.sample(working, min(options.missed_daily, len(working))))
    daily_entries: dict[date, object] = {}
    inspection_day = {}
    for month in range(1, options.months + 1):
        if month % 3 == 1:
            plan_quarter(year, (month + 2) // 3)
        daily = plan_service.create_daily_plan(
            f"{options.year}-{month:02d}", seed=options.seed + month, user=year.supervisor
        )
        daily_entries.update({e.due_date: e for e in daily.entries})
        inspection_day[_monthly_day(year, month)] = monthly_entries[month]
        fault_days = year.rng.sample(
            [d for d in working if d.month == month], options.faults_per_month
        )
        for day in _month_days(options.year, month):
            _run_later(year, china(day, 0))
            _one_day(year, day, day in missed, daily_entries.get(day), inspection_day.get(day))
            if day in fault_days:
                incidents.one_fault(year, day)
            for phone in year.phones.values():  # back at the office, the phones sync
                phone.send(china(day, 18, year.rng.randint(0, 59)))
    _run_later(year, None)
    year.counts["missed_daily"] = len(missed)
    return year


def _month_days(year: int, month: int):
    first, after = periods.month_dates(year, month)
    day = first
    while day < after:
        yield day
        day += timedelta(days=1)


def _run_later(year: Year, until: datetime | None) -> None:
    """Office steps whose time has come (closings, repaired units coming back)."""
    due = sorted(
        (item for item in year.later if until is None or item[0] < until), key=lambda i: i[0]
    )
    year.later = [item for item in year.later if not (until is None or item[0] < until)]
    for _, action in due:
        action()


def _engineer_phone(year: Year, entry) -> Phone:
    return year.phones.get(entry.engineer_id) or next(iter(year.phones.values()))


def _one_day(year: Year, day: date, skip_daily: bool, daily_entry, monthly_entry) -> None:
    rng, province = year.rng, year.province
    if daily_entry is not None and not skip_daily:
        started = china(day, 8, rng.randint(35, 59))
        field_work.visit(
            year,
            _engineer_phone(year, daily_entry),
            province,
            "daily",
            started,
            field_work.daily_round(province.id),
            daily_entry.id,
        )
    if monthly_entry is not None:
        devices = field_work.live_devices(province.id)
        started = china(day, 14, rng.randint(0, 30))
        field_work.visit(
            year,
            _engineer_phone(year, monthly_entry),
            province,
            "monthly",
            started,
            devices,
            monthly_entry.id,
            summary=_monthly_summary(year, day, len(devices)),
        )
    for entry in year.visits_on.pop(day, []):
        started = china(day, rng.randint(9, 15), rng.randint(0, 59))
        field_work.visit(
            year,
            _engineer_phone(year, entry),
            entry.site,
            "quarterly",
            started,
            field_work.live_devices(entry.site_id),
            entry.id,
        )


def plans_made() -> int:
    return db.session.scalar(sa.select(sa.func.count(Plan.id)))


def _monthly_summary(year: Year, day: date, units: int) -> str | None:
    """The monthly inspection's written report (the software form's monthly report), but one."""
    if day.month == year.options.unreported_month:
        return None
    return f"{day.year}年{day.month}月省局设备巡检完成，共检查 {units} 台设备，运行正常。"
