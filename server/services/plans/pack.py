"""The `plans` field-pack section: plan entries for the engineer's phone."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import Plan, PlanEntry, Site, Visit
from server.periods import iso
from server.security import MANAGER_ROLES
from server.services.sync.registry import PackSection


def dump_entry(entry: PlanEntry) -> dict:
    from server.services.plans.plans import prefecture_of

    plan, site = entry.plan, entry.site
    visited = (
        db.session.scalar(sa.select(sa.func.count(Visit.id)).where(Visit.plan_entry_id == entry.id))
        > 0
    )
    return {
        "id": entry.id,
        "plan_id": plan.id,
        "kind": plan.kind,
        "period": plan.period,
        "site_code": site.code,
        "site_name": site.name,
        "prefecture": prefecture_of(site),
        "engineer_id": entry.engineer_id,
        "engineer_name": entry.engineer.display_name if entry.engineer else None,
        "due_date": entry.due_date.isoformat(),
        "position": entry.position,
        "state": entry.state,
        "reason_code": entry.reason_code,
        "required": entry.required,
        "replaces_id": entry.replaces_id,
        "replace_reason": entry.replace_reason,
        "replaced_by_user_id": entry.replaced_by_user_id,
        "replaced_at": iso(entry.replaced_at) if entry.replaced_at else None,
        "visited": visited,
    }


def entries_changed_since(user, since: datetime | None):
    """The user's entries (all of them for supervisors), changed since the cursor.

    Replaced and cancelled entries are sent too, so the phone drops them.
    """
    query = (
        sa.select(PlanEntry)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .options(
            selectinload(PlanEntry.plan),
            selectinload(PlanEntry.engineer),
            selectinload(PlanEntry.site).selectinload(Site.region),
        )
        .order_by(PlanEntry.id)
    )
    if user.role not in MANAGER_ROLES:
        query = query.where(PlanEntry.engineer_id == user.id)
    if since is None:
        query = query.where(Plan.status == "active", PlanEntry.state == "planned")
    else:
        query = query.where(PlanEntry.updated_at > since)
    return db.session.scalars(query).all()


SECTIONS = [PackSection(name="plans", changed_since=entries_changed_since, dump=dump_entry)]
