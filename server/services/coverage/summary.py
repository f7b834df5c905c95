"""Coverage: what was planned, visited and inspected in a period (definitions: docs/coverage.md).

Every figure is one set-based query grouped by site; Python only joins the small per-site
results. Filters: prefecture-level unit, county, device type code.
"""

from __future__ import annotations

from collections import OrderedDict
from datetime import date, datetime

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import (
    CalendarOverride,
    Device,
    DeviceType,
    Inspection,
    Plan,
    PlanEntry,
    Region,
    Room,
    Site,
    User,
    Visit,
    VisitTally,
    VisitTarget,
)
from server.services.coverage import daily
from server.services.coverage import targets as visit_targets
from server.services.coverage.scope import (
    Scope,
    aware,
    filters_of,
    group_expr,
    offset_iso,
    overdue_window,
    period_of,
    site_filter,
    type_filter,
)

LIVE_STATUSES = visit_targets.LIVE_STATUSES


def sites(scope: Scope) -> list[dict]:
    query = site_filter(
        sa.select(
            Site.id,
            Site.code,
            Site.name,
            Site.tier,
            Site.region_code,
            Region.name.label("region_name"),
            group_expr().label("prefecture"),
        ).join(Region, Region.code == Site.region_code),
        scope,
    )
    return [dict(row._mapping) for row in db.session.execute(query.order_by(Site.code))]


def planned(scope: Scope) -> dict[int, dict]:
    """Planned entries due in the period: site id -> entry facts."""
    rows = db.session.execute(
        sa.select(PlanEntry.site_id, PlanEntry.id, PlanEntry.due_date, User.display_name)
        .join(Plan, Plan.id == PlanEntry.plan_id)
        .outerjoin(User, User.id == PlanEntry.engineer_id)
        .where(
            Plan.kind == scope.kind,
            Plan.status == "active",
            PlanEntry.state == "planned",
            PlanEntry.due_date >= scope.start,
            PlanEntry.due_date < scope.end,
        )
    )
    return {
        r.site_id: {"entry_id": r.id, "due_date": r.due_date, "engineer": r.display_name}
        for r in rows
    }


def visits(scope: Scope) -> dict[int, tuple[int, datetime | None, datetime]]:
    """Per site, in one pass over the visits before the period's end: how many in the period,
    the last of those, and the last ever (for "overdue")."""
    in_period = Visit.started_at >= scope.start_at
    rows = db.session.execute(
        sa.select(
            Visit.site_id,
            sa.func.sum(sa.case((in_period, 1), else_=0)),
            sa.func.max(sa.case((in_period, Visit.started_at))),
            sa.func.max(Visit.started_at),
        )
        .where(Visit.started_at < scope.end_at, Visit.inspection_kind == scope.kind)
        .group_by(Visit.site_id)
    )
    return {site_id: (int(count), last, ever) for site_id, count, last, ever in rows}


def expected(scope: Scope) -> dict[int, int]:
    """Devices registered at each site now (live statuses), counted per room first: grouping
    the devices by room id alone is cheaper than joining every device to its room."""
    per_room = type_filter(
        sa.select(Device.room_id, sa.func.count().label("devices"))
        .where(Device.status.in_(LIVE_STATUSES), Device.room_id.is_not(None))
        .group_by(Device.room_id),
        scope,
    ).subquery()
    query = (
        sa.select(Room.site_id, sa.func.sum(per_room.c.devices))
        .join(per_room, per_room.c.room_id == Room.id)
        .group_by(Room.site_id)
    )
    if scope.prefecture or scope.county:
        query = site_filter(
            query.join(Site, Site.id == Room.site_id).join(Region, Region.code == Site.region_code),
            scope,
        )
    return {site_id: int(count) for site_id, count in db.session.execute(query)}


def inspected_counts(scope: Scope) -> tuple[dict[int, int], dict[int, int], dict[int, int]]:
    """Per visited site: expected devices inspected, tags registered elsewhere (or unknown)
    inspected there, failed checklist items, from the period's visit_target rows.

    Those rows (services/coverage/targets.py) hold each visit's distinct current targets, split
    into devices now at the visit's site in a live status ("own") and the rest, with when the
    site's previous visit covered the same target. A target counts once, on its first row in
    the period (no earlier row, or one before the period): one pass over a covering index,
    with no join to inspections or devices and no DISTINCT.
    """
    # Without a type filter the per-visit tallies serve: a few rows per visit, not per device.
    source = VisitTarget if scope.device_type else VisitTally
    counted = sa.literal(1) if scope.device_type else VisitTally.targets
    first_in_period = sa.case(
        (sa.or_(source.previous_at.is_(None), source.previous_at < scope.start_at), counted),
        else_=0,
    )
    query = (
        sa.select(
            source.site_id,
            source.own,
            sa.func.sum(first_in_period),
            sa.func.sum(source.failed_items),
        )
        .where(
            source.inspection_kind == scope.kind,
            source.started_at >= scope.start_at,
            source.started_at < scope.end_at,
        )
        .group_by(source.site_id, source.own)
    )
    if scope.device_type:
        query = query.where(
            VisitTarget.type_id
            == sa.select(DeviceType.id)
            .where(DeviceType.code == scope.device_type)
            .scalar_subquery()
        )
    if scope.prefecture or scope.county:
        query = site_filter(
            query.join(Site, Site.id == source.site_id).join(
                Region, Region.code == Site.region_code
            ),
            scope,
        )
    inspected: dict[int, int] = {}
    unexpected: dict[int, int] = {}
    failed_items: dict[int, int] = {}
    for site_id, is_own, count, fails in db.session.execute(query):
        (inspected if is_own else unexpected)[site_id] = int(count)
        failed_items[site_id] = failed_items.get(site_id, 0) + int(fails or 0)
    return inspected, unexpected, failed_items


_CACHE: OrderedDict = OrderedDict()
CACHE_SIZE = 16


def data_version() -> tuple:
    """Changes whenever anything coverage reads changes: inspections and visits are append-only
    (a correction is a new row), everything else carries an indexed updated_at."""
    newest = [sa.select(sa.func.max(Inspection.id)), sa.select(sa.func.max(Visit.id))]
    newest += [
        sa.select(sa.func.max(model.updated_at)) for model in (Device, Room, Site, Plan, PlanEntry)
    ]
    # Calendar overrides move the daily checks' due days; a deleted one lowers the count.
    newest += [
        sa.select(sa.func.count(CalendarOverride.id)),
        sa.select(sa.func.max(CalendarOverride.updated_at)),
    ]
    # One statement of scalar subqueries: one round trip rather than nine on every call.
    return tuple(db.session.execute(sa.select(*(q.scalar_subquery() for q in newest))).one())


def clear_cache() -> None:
    _CACHE.clear()


def summarise(scope: Scope) -> dict:
    """The coverage table, cached per scope and data version (the map and the table of one
    page view ask for the same one); the cache can never serve stale figures."""
    visit_targets.refresh_pending(db.session())  # this session's own uncommitted records
    key = (
        scope.start,
        scope.end,
        scope.kind,
        scope.prefecture,
        scope.county,
        scope.device_type,
        date.today(),
        data_version(),
    )
    if key in _CACHE:
        _CACHE.move_to_end(key)
        return _fresh(_CACHE[key])
    result = _summarise(scope)
    _CACHE[key] = _fresh(result)
    while len(_CACHE) > CACHE_SIZE:
        _CACHE.popitem(last=False)
    return result


def _fresh(result: dict) -> dict:
    """A copy callers may extend: new top-level and summary dicts (site rows are read-only)."""
    return {**result, "summary": dict(result["summary"]), "period": dict(result["period"])}


def _summarise(scope: Scope) -> dict:
    site_rows = sites(scope)
    plan, visit, exp = planned(scope), visits(scope), expected(scope)
    inspected, unexpected, failed = inspected_counts(scope)
    window = overdue_window(scope)
    today = periods.day_start(date.today())
    rows = []
    for site in site_rows:
        sid = site.pop("id")
        count, last, ever = visit.get(sid, (0, None, None))
        entry = plan.get(sid)
        expected_here = exp.get(sid, 0)
        inspected_here = inspected.get(sid, 0)
        row = {
            **site,
            "planned": entry is not None,
            "engineer": entry and entry["engineer"],
            "due_date": entry and entry["due_date"].isoformat(),
            "visits": count,
            "visited": count > 0,
            "last_visit": last and offset_iso(last),
            "last_visit_ever": ever and offset_iso(ever),
            "expected": expected_here,
            "inspected": inspected_here if count else None,
            "missing": expected_here - inspected_here if count else None,
            "unexpected": unexpected.get(sid, 0) if count else None,
            "failed_items": failed.get(sid, 0),
            "overdue": ever is None or aware(ever) < window,
            "missed": bool(entry and not count and periods.day_start(entry["due_date"]) < today),
        }
        row["state"] = tile_state(row)
        rows.append(row)
    return {
        "period": period_of(scope),
        "filters": filters_of(scope),
        "summary": _totals(rows),
        "daily_checks": daily.daily_checks(scope, rows),
        "sites": rows,
    }


def tile_state(row: dict) -> str:
    """One word for a bureau's colour: complete, partial, planned, overdue, idle."""
    if row["visited"]:
        return "complete" if not row["missing"] else "partial"
    if row["planned"]:
        return "missed" if row["missed"] else "planned"
    return "overdue" if row["overdue"] else "idle"


def _totals(rows: list[dict]) -> dict:
    visited = [r for r in rows if r["visited"]]
    return {
        "bureaus": len(rows),
        "planned": sum(r["planned"] for r in rows),
        "visited": len(visited),
        "planned_visited": sum(r["planned"] for r in visited),
        "planned_not_visited": sum(r["planned"] and not r["visited"] for r in rows),
        "visited_unplanned": sum(not r["planned"] for r in visited),
        "expected_at_visited": sum(r["expected"] for r in visited),
        "inspected": sum(r["inspected"] for r in visited),
        "missing": sum(r["missing"] for r in visited),
        "unexpected": sum(r["unexpected"] for r in visited),
        "failed_items": sum(r["failed_items"] for r in rows),
        "overdue": sum(r["overdue"] for r in rows),
    }
