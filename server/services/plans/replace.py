"""Replacing a plan entry: another bureau takes a planned one's place, with a written reason;
the old entry stays, and a rotation entry only gives way to a bureau as urgent."""

from __future__ import annotations

import sqlalchemy as sa

from server import periods
from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import BUREAU_TIERS, Plan, PlanEntry, Site, User, utcnow
from server.services.plans import planner
from server.services.plans.plans import get_plan, quarterly_states


def replace_entry(
    plan_id: int,
    entry_id: int,
    site_code: str,
    reason: str,
    user: User | None,
    force: bool = False,
    engineer_id: int | None = None,
) -> PlanEntry:
    """Swap one planned site for another, keeping the old entry and the written reason."""
    plan = get_plan(plan_id)
    entry = db.session.get(PlanEntry, entry_id)
    if entry is None or entry.plan_id != plan.id:
        raise NotFound(f"Plan {plan_id} has no entry {entry_id}.")
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "A replacement needs a written reason.",
            errors={"json": {"reason": ["write why the site is replaced"]}},
        )
    if plan.status != "active" or entry.state != "planned":
        raise Conflict(
            f"Entry {entry_id} is {entry.state} in a {plan.status} plan; only "
            "planned entries of the active plan can be replaced."
        )
    site = db.session.scalar(sa.select(Site).where(Site.code == site_code))
    if site is None or site.tier not in BUREAU_TIERS:
        raise Invalid(
            f"No bureau with code '{site_code}'.",
            errors={"json": {"site_code": ["not a bureau's site code"]}},
        )
    if (
        any(e.site_id == site.id and e.state == "planned" for e in plan.entries)
        and plan.kind == "quarterly"
    ):
        raise Conflict(
            f"{site.name} is already in this plan; choose another site.",
            errors={"json": {"site_code": ["already planned"]}},
        )
    if entry.required and plan.kind == "quarterly" and not force:
        _check_rotation_kept(plan, entry, site)
    entry.state = "replaced"
    new = PlanEntry(
        plan_id=plan.id,
        site_id=site.id,
        due_date=entry.due_date,
        engineer_id=engineer_id if engineer_id is not None else entry.engineer_id,
        position=entry.position,
        state="planned",
        reason_code="replacement",
        required=entry.required,
        replaces_id=entry.id,
        replace_reason=reason,
        replaced_by_user_id=user.id if user else None,
        replaced_at=utcnow(),
    )
    db.session.add(new)
    db.session.flush()
    return new


def _check_rotation_kept(plan: Plan, entry: PlanEntry, site: Site) -> None:
    """A rotation entry may only give way to a bureau whose deadline is no later."""
    states, origin = quarterly_states(plan.period, [entry.site, site])
    old, new = (planner.deadline(s, origin) for s in states)
    if new > old:
        year, quarter = periods.index_to_quarter(old)
        raise Conflict(
            f"{entry.site.name} must be visited this quarter to keep every bureau within four "
            f"quarters (due by {year}Q{quarter}); {site.name} is not as urgent. Choose a bureau "
            "not planned or visited for as long, or send force=true to accept the gap "
            "(the next plan then takes the skipped bureau first).",
            errors={"json": {"site_code": ["not as urgent as the rotation entry it replaces"]}},
        )
