"""Missed daily checks (-1 each, av form): every working day, over by today, without a
completed daily check of the province bureau's equipment, linked to its daily-plan entry.

The calendar branch's `server.services.calendar.daily_checks.daily_ledger` is the one
definition once merged; until then `_own_missed_days` applies the same one: a day is checked
when a `daily` visit at the province bureau started on it (China time) and its current
inspections cover at least one of the bureau's own devices (visit_tally rows).
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Plan, PlanEntry, Visit, VisitTally
from server.services.assessment.records import (
    Finding,
    coverage_link,
    entry_link,
    province_bureau_id,
)
from server.services.calendar.workdays import working_days


def _checked_days(site_id: int, first: date, last: date) -> set[date]:
    covered = (
        sa.select(VisitTally.visit_id)
        .where(VisitTally.visit_id == Visit.id, VisitTally.own.is_(True), VisitTally.targets > 0)
        .exists()
    )
    started = db.session.scalars(
        sa.select(Visit.started_at).where(
            Visit.site_id == site_id,
            Visit.inspection_kind == "daily",
            Visit.started_at >= periods.day_start(first),
            Visit.started_at < periods.day_start(last + timedelta(days=1)),
            covered,
        )
    )
    return {periods.local_day(at) for at in started}


def _own_missed_days(first: date, last: date, today: date) -> list[tuple[date, int | None]]:
    """TEMPORARY: replaced by the calendar branch's daily_ledger at merge."""
    site_id = province_bureau_id()
    due = [day for day in working_days(first, last) if day < today]
    done = _checked_days(site_id, first, last) if site_id is not None else set()
    entries = dict(
        db.session.execute(
            sa.select(PlanEntry.due_date, PlanEntry.id)
            .join(Plan, Plan.id == PlanEntry.plan_id)
            .where(
                Plan.kind == "daily",
                Plan.status == "active",
                PlanEntry.state == "planned",
                PlanEntry.site_id == site_id,
                PlanEntry.due_date >= first,
                PlanEntry.due_date <= last,
            )
        ).all()
    )
    return [(day, entries.get(day)) for day in due if day not in done]


def missed_days(first: date, last: date, today: date) -> list[tuple[date, int | None]]:
    """(day, daily-plan entry id or None) of each missed daily check, oldest first."""
    try:
        from server.services.calendar.daily_checks import daily_ledger
    except ImportError:  # the calendar branch is not merged yet
        return _own_missed_days(first, last, today)
    return [(m.day, m.plan_entry_id) for m in daily_ledger(first, last, today).missed]


def missed_daily_checks(first: date, last: date, today: date) -> list[Finding]:
    """-1 per missed day, linked to its daily-plan entry (if any) and the day's coverage."""
    missed = missed_days(first, last, today)
    ids = [entry_id for _, entry_id in missed if entry_id is not None]
    entries = (
        {e.id: e for e in db.session.scalars(sa.select(PlanEntry).where(PlanEntry.id.in_(ids)))}
        if ids
        else {}
    )
    found = []
    for day, entry_id in missed:
        links = [coverage_link("daily", day, day, f"{day} 每日检查")]
        if entry_id in entries:
            links.insert(0, entry_link(entries[entry_id]))
        what = f"{day}: no completed daily check of the province bureau"
        zh = f"{day} 无已完成的省局每日健康检查"
        found.append(
            Finding("av", "daily_inspection", "missed_daily_check", -1, day, what, links, {}, zh)
        )
    return found
