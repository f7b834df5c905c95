"""Daily checks counted per working day: which due days of the province bureau had none.

The contract owes a daily health check of the province bureau's equipment every working day
(docs/calendar.md) and costs one assessment point per day without one. A day is **checked**
when a visit of kind `daily` at the province bureau started on it (China time) and its current
inspections cover at least one of the bureau's own devices (visit_tally, the coverage rows,
so a correction or a visit with no inspection does not count), or when a site-level check
(`site_check`, one checklist for a room of the bureau, no unit scanned; docs/meetings.md) was
made on it (its `checked_at`, China time). A day is **due** when it is a
working day of the calendar, whether or not a daily plan has an entry for it (the entry, if
any, is attached), and **missed** when it is due, before today (China time) and not checked.
Today is never missed: it is still open.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Plan, PlanEntry, Site, SiteCheck, User, Visit, VisitTally, utcnow
from server.services.calendar import workdays


@dataclass(frozen=True)
class MissedDay:
    """A working day without a completed daily check.

    day: the working day (China time); site_id / site_code: the province bureau;
    plan_entry_id: the active daily plan's planned entry due that day, or None when no daily
    plan covers it (the check is owed all the same).
    """

    day: date
    site_id: int
    site_code: str
    plan_entry_id: int | None


@dataclass(frozen=True)
class DailyLedger:
    """The daily checks of a range: due working days (before today), checked and missed days,
    and the working days still to come (today included)."""

    due: list[date]
    checked: list[date]
    missed: list[MissedDay]
    upcoming: list[date]
    gaps: list[int]

    def counts(self) -> dict:
        return {
            "due_days": len(self.due),
            "checked_days": len(self.checked),
            "missed_days": len(self.missed),
            "upcoming_days": len(self.upcoming),
        }


def province_bureau() -> Site | None:
    """The one province-tier site (the bureau whose equipment the daily check covers)."""
    return db.session.scalar(sa.select(Site).where(Site.tier == "province").order_by(Site.id))


def _checks_in(site_id: int, start: date, end: date) -> list:
    """The conditions of a check: a daily visit at the site started in [start, end] whose
    current inspections cover at least one of the site's own devices."""
    covered = (
        sa.select(VisitTally.visit_id)
        .where(VisitTally.own.is_(True), VisitTally.targets > 0)
        .where(VisitTally.visit_id == Visit.id)
        .exists()
    )
    return [
        Visit.site_id == site_id,
        Visit.inspection_kind == "daily",
        Visit.started_at >= periods.day_start(start),
        Visit.started_at < periods.day_start(end + timedelta(days=1)),
        covered,
    ]


def checked_days(site_id: int, start: date, end: date) -> set[date]:
    """China-time days of [start, end] with a daily visit at the site covering its own devices,
    or a site-level check of one of its rooms."""
    since, until = periods.day_start(start), periods.day_start(end + timedelta(days=1))
    started = db.session.scalars(
        sa.select(Visit.started_at).where(*_checks_in(site_id, start, end))
    )
    site_checked = db.session.scalars(
        sa.select(SiteCheck.checked_at).where(
            SiteCheck.site_id == site_id,
            SiteCheck.checked_at >= since,
            SiteCheck.checked_at < until,
        )
    )
    return {periods.local_day(at) for at in [*started, *site_checked]}


def checks_of_day(day: date) -> tuple[Site | None, list]:
    """The province bureau and the day's daily checks of it (visit id, start, who), oldest first."""
    site = province_bureau()
    if site is None:
        return None, []
    rows = db.session.execute(
        sa.select(Visit.id, Visit.started_at, Visit.finished_at, User.username, User.display_name)
        .join(User, User.id == Visit.user_id)
        .where(*_checks_in(site.id, day, day))
        .order_by(Visit.started_at, Visit.id)
    )
    return site, list(rows)


def planned_entries(site_id: int, start: date, end: date) -> dict[date, int]:
    """The active daily plans' planned entries of the site due in [start, end], by day."""
    rows = db.session.execute(
        sa.select(PlanEntry.due_date, PlanEntry.id)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .where(
            Plan.kind == "daily",
            Plan.status == "active",
            PlanEntry.state == "planned",
            PlanEntry.site_id == site_id,
            PlanEntry.due_date >= start,
            PlanEntry.due_date <= end,
        )
        .order_by(PlanEntry.id)
    )
    return {day: entry_id for day, entry_id in rows}


def daily_ledger(start: date, end: date, today: date | None = None) -> DailyLedger:
    """Due, checked and missed daily checks of the province bureau in [start, end] (inclusive)."""
    today = today or periods.local_day(utcnow())
    gaps = workdays.calendar_gaps(start, end)
    site = province_bureau()
    days = workdays.working_days(start, end)
    if site is None:
        return DailyLedger([], [], [], [d for d in days if d >= today], gaps)
    due = [d for d in days if d < today]
    done = checked_days(site.id, start, end)
    entries = planned_entries(site.id, start, end)
    missed = [MissedDay(d, site.id, site.code, entries.get(d)) for d in due if d not in done]
    return DailyLedger(
        due=due,
        checked=[d for d in due if d in done],
        missed=missed,
        upcoming=[d for d in days if d >= today],
        gaps=gaps,
    )


def missed_daily_checks(start: date, end: date) -> list[MissedDay]:
    """Every working day of [start, end] (inclusive, before today) without a completed daily
    check of the province bureau's equipment, oldest first; see MissedDay for the shape.
    Years the calendar does not know count Monday to Friday: check workdays.calendar_gaps."""
    return daily_ledger(start, end).missed
