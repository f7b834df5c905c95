"""Plans: create a quarter's sample (or a month of daily checks, a year of monthly ones) and
read them back (replacing an entry: replace.py)."""

from __future__ import annotations

import secrets
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import selectinload

from server import periods
from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import BUREAU_TIERS, Plan, PlanEntry, Region, Site, User, Visit
from server.services.calendar import workdays
from server.services.plans import planner
from server.services.plans import signals as plan_signals

DEFAULT_SIZE = 30


def prefecture_of(site: Site, province_group: str | None = None) -> str:
    """The prefecture-level unit a bureau counts in; the province bureau counts with the capital."""
    region = site.region
    if region.level == "county":
        return region.parent_code
    if region.level == "province":
        return province_group or current_app.config.get("PLAN_PROVINCE_GROUP", "520100")
    return region.code


def bureaus() -> list[Site]:
    return list(
        db.session.scalars(
            sa.select(Site)
            .where(Site.tier.in_(BUREAU_TIERS), Site.closed_at.is_(None))
            .order_by(Site.id)
            .options(selectinload(Site.region))
        )
    )


def active_plan(kind: str, period: str) -> Plan | None:
    return db.session.scalar(
        sa.select(Plan).where(Plan.kind == kind, Plan.period == period, Plan.status == "active")
    )


def _make_room(kind: str, period: str, replace: bool, user: User | None) -> None:
    """Refuse a second plan for a period, or retire the old one when asked to replace it."""
    old = active_plan(kind, period)
    if old is None:
        return
    if not replace:
        raise Conflict(
            f"A {kind} plan for {period} already exists (plan {old.id}). "
            "Send replace=true (CLI: --replace) to replace it, or replace single "
            "entries.",
            errors={"json": {"period": ["already planned"]}},
        )
    visited = db.session.scalar(
        sa.select(sa.func.count(Visit.id))
        .join(PlanEntry, PlanEntry.id == Visit.plan_entry_id)
        .where(PlanEntry.plan_id == old.id)
    )
    if visited:
        raise Conflict(
            f"Plan {old.id} for {period} already has {visited} visit(s) recorded "
            "against it; replace single entries instead of the whole plan.",
            errors={"json": {"replace": ["plan already has visits"]}},
        )
    old.status = "replaced"
    for entry in old.entries:
        if entry.state == "planned":
            entry.state = "cancelled"
    db.session.flush()


def _engineers() -> list[int]:
    return list(
        db.session.scalars(
            sa.select(User.id)
            .where(User.role == "engineer", User.active.is_(True))
            .order_by(User.id)
        )
    )


def _new_seed(seed: int | None) -> int:
    return secrets.randbits(48) if seed is None else seed


def quarterly_states(period: str, sites: list[Site]) -> tuple[list[planner.Bureau], int]:
    """The planner's view of every bureau before `period`, and the rotation's origin."""
    year, quarter = periods.parse_quarter(period)
    index = periods.quarter_index(year, quarter)
    start = periods.day_start(periods.quarter_dates(year, quarter)[0])
    visits = plan_signals.last_visits(start)
    visited = plan_signals.visited_quarters(visits)
    planned, first = plan_signals.last_planned_quarters(period)
    faults = plan_signals.open_fault_site_ids()
    failed = plan_signals.failed_last_time(visits)
    states = []
    for site in sites:
        marks = [q for q in (planned.get(site.id), visited.get(site.id)) if q is not None]
        states.append(
            planner.Bureau(
                site_id=site.id,
                group=prefecture_of(site),
                last_planned=max(marks) if marks else None,
                last_visited=visited.get(site.id),
                open_fault=site.id in faults,
                failed_last=site.id in failed,
            )
        )
    origin = index if first is None else min(first, index)
    return states, origin


def create_quarterly_plan(
    period: str,
    size: int = DEFAULT_SIZE,
    seed: int | None = None,
    replace: bool = False,
    user: User | None = None,
) -> Plan:
    """Choose the quarter's sample, assign engineers, store it with its seed."""
    year, quarter = periods.parse_quarter(period)
    period = periods.quarter_key(year, quarter)
    sites = bureaus()
    if not 1 <= size <= len(sites):
        raise Invalid(
            f"Plan size {size} is not possible: there are {len(sites)} bureaus; "
            f"choose 1 to {len(sites)}.",
            errors={"json": {"size": [f"must be between 1 and {len(sites)}"]}},
        )
    _make_room("quarterly", period, replace, user)
    seed = _new_seed(seed)
    states, origin = quarterly_states(period, sites)
    choices = planner.choose(states, periods.quarter_index(year, quarter), size, seed, origin)
    by_id = {s.id: s for s in sites}
    choices.sort(key=lambda c: (c.group, by_id[c.site_id].code))
    engineers = planner.assign_engineers([c.group for c in choices], _engineers())
    due = periods.quarter_dates(year, quarter)[1] - timedelta(days=1)
    plan = Plan(
        kind="quarterly",
        period=period,
        seed=seed,
        size=size,
        status="active",
        created_by_id=user.id if user else None,
        notes={"origin": origin},
    )
    plan.entries = [
        PlanEntry(
            site_id=c.site_id,
            engineer_id=engineer,
            due_date=due,
            position=i + 1,
            state="planned",
            reason_code=c.reason,
            required=c.required,
        )
        for i, (c, engineer) in enumerate(zip(choices, engineers))
    ]
    db.session.add(plan)
    db.session.flush()
    return plan


def province_bureau() -> Site:
    site = db.session.scalar(
        sa.select(Site).join(Region).where(Site.tier == "province").order_by(Site.id)
    )
    if site is None:
        raise Invalid(
            "There is no province bureau to plan checks for; load the reference "
            "data first (xunjian seed)."
        )
    return site


def _rotating(
    days,
    kind: str,
    period: str,
    seed: int | None,
    replace: bool,
    user: User | None,
    notes: dict | None = None,
) -> Plan:
    """One province-bureau entry per day, engineers taking turns."""
    _make_room(kind, period, replace, user)
    site = province_bureau()
    engineers = _engineers() or [None]
    plan = Plan(
        kind=kind,
        period=period,
        seed=_new_seed(seed),
        size=len(days),
        status="active",
        created_by_id=user.id if user else None,
        notes=notes or {},
    )
    plan.entries = [
        PlanEntry(
            site_id=site.id,
            engineer_id=engineers[i % len(engineers)],
            due_date=day,
            position=i + 1,
            state="planned",
            reason_code=kind,
            required=True,
        )
        for i, day in enumerate(days)
    ]
    db.session.add(plan)
    db.session.flush()
    return plan


def create_daily_plan(
    period: str, seed: int | None = None, replace: bool = False, user: User | None = None
) -> Plan:
    """Every working day of a month (YYYY-MM, services/calendar): the province equipment's daily
    health check. A month of a year the calendar does not know gets Monday to Friday (the API
    and CLI show calendar_gaps' warning)."""
    year, month = periods.parse_month(period)
    first, after = periods.month_dates(year, month)
    days = workdays.working_days(first, after - timedelta(days=1))
    gaps = workdays.calendar_gaps(first, after - timedelta(days=1))
    notes = {"calendar_gaps": gaps} if gaps else None
    return _rotating(days, "daily", f"{year}-{month:02d}", seed, replace, user, notes)


def create_monthly_plan(
    period: str, seed: int | None = None, replace: bool = False, user: User | None = None
) -> Plan:
    """A year (YYYY) of monthly inspections of the province bureau, due at each month's end."""
    year = periods.parse_year(period)
    days = [periods.month_dates(year, m)[1] - timedelta(days=1) for m in range(1, 13)]
    return _rotating(days, "monthly", str(year), seed, replace, user)


def create_plan(
    kind: str,
    period: str,
    size: int | None = None,
    seed: int | None = None,
    replace: bool = False,
    user: User | None = None,
) -> Plan:
    if kind == "quarterly":
        return create_quarterly_plan(period, size or DEFAULT_SIZE, seed, replace, user)
    if size is not None:
        raise Invalid(
            f"A {kind} plan has one entry per day/month; leave out size.",
            errors={"json": {"size": ["only for quarterly plans"]}},
        )
    maker = create_daily_plan if kind == "daily" else create_monthly_plan
    return maker(period, seed, replace, user)


def get_plan(plan_id: int) -> Plan:
    plan = db.session.get(Plan, plan_id)
    if plan is None:
        raise NotFound(f"No plan with id {plan_id}.")
    return plan


def list_plans(kind: str | None = None, period: str | None = None, include_replaced: bool = False):
    query = sa.select(Plan).order_by(Plan.period.desc(), Plan.id.desc())
    if kind:
        query = query.where(Plan.kind == kind)
    if period:
        query = query.where(Plan.period == period)
    if not include_replaced:
        query = query.where(Plan.status == "active")
    return query
