"""Missed daily checks (-1 each, av form): every working day, over by today, without a
completed daily check of the province bureau's equipment, linked to its daily-plan entry.

Which days are owed and which were checked is `calendar.daily_checks.daily_ledger`, the one
definition (also behind the daily plan's coverage).
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from server.extensions import db
from server.models import PlanEntry
from server.services.assessment.records import (
    Finding,
    coverage_link,
    entry_link,
)
from server.services.calendar.daily_checks import daily_ledger


def missed_days(first: date, last: date, today: date) -> list[tuple[date, int | None]]:
    """(day, daily-plan entry id or None) of each missed daily check, oldest first."""
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
