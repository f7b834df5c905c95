"""What the planner reads from the records: history, open faults, failed checks."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa

from server.extensions import db
from server.models import Fault, Inspection, Plan, PlanEntry, Visit
from server.periods import quarter_of

FIXED_FAULT_STATES = ("resolved", "closed")


def open_fault_site_ids() -> set[int]:
    """Sites with a fault not yet resolved: the planner gives them priority."""
    rows = db.session.scalars(
        sa.select(Fault.site_id)
        .distinct()
        .where(Fault.state.not_in(FIXED_FAULT_STATES), Fault.site_id.is_not(None))
    )
    return set(rows)


def current_inspections(inspection=Inspection):
    """Inspections no later valid correction supersedes: the latest fact per record.

    NOT IN over the (few) superseding rows: databases hash that small set once instead of
    probing an index for every inspection.
    """
    newer = sa.orm.aliased(Inspection)
    return inspection.uuid.not_in(
        sa.select(newer.supersedes_uuid).where(
            newer.supersedes_uuid.is_not(None), newer.supersede_state == "valid"
        )
    )


def last_visits(before: datetime, kind: str = "quarterly") -> dict[int, datetime]:
    """Each site's latest visit of a kind started before a moment."""
    rows = db.session.execute(
        sa.select(Visit.site_id, sa.func.max(Visit.started_at))
        .where(Visit.started_at < before, Visit.inspection_kind == kind)
        .group_by(Visit.site_id)
    )
    return {site_id: _aware(at) for site_id, at in rows}


def _aware(at):

    return at if at.tzinfo else at.replace(tzinfo=UTC)


def last_planned_quarters(before_period: str) -> tuple[dict[int, int], int | None]:
    """Each site's last quarter in an active quarterly plan before a period, and the first planned quarter."""
    from server.periods import parse_quarter, quarter_index

    rows = db.session.execute(
        sa.select(PlanEntry.site_id, Plan.period)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .where(
            Plan.kind == "quarterly",
            Plan.status == "active",
            Plan.period < before_period,
            PlanEntry.state == "planned",
        )
    )
    last: dict[int, int] = {}
    first = None
    for site_id, period in rows:
        index = quarter_index(*parse_quarter(period))
        last[site_id] = max(last.get(site_id, index), index)
        first = index if first is None else min(first, index)
    return last, first


def failed_last_time(visits: dict[int, datetime], kind: str = "quarterly") -> set[int]:
    """Sites whose latest visit (as given) recorded a failed current inspection."""
    if not visits:
        return set()
    latest = (
        sa.select(Visit.site_id, sa.func.max(Visit.started_at).label("at"))
        .where(Visit.started_at <= max(visits.values()), Visit.inspection_kind == kind)
        .group_by(Visit.site_id)
        .subquery()
    )
    last_ids = (
        sa.select(Visit.id)
        .join(latest, sa.and_(latest.c.site_id == Visit.site_id, latest.c.at == Visit.started_at))
        .where(Visit.inspection_kind == kind)
    )
    rows = db.session.scalars(
        sa.select(Visit.site_id)
        .distinct()
        .join(Inspection, Inspection.visit_id == Visit.id)
        .where(Visit.id.in_(last_ids), Inspection.outcome == "fail", current_inspections())
    )
    return {site_id for site_id in rows if site_id in visits}


def visited_quarters(visits: dict[int, datetime]) -> dict[int, int]:
    return {site_id: quarter_of(at) for site_id, at in visits.items()}
