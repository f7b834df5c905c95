"""Coverage: what was planned, visited and inspected in a period (definitions: docs/coverage.md).

Every figure is one set-based query grouped by site; Python only joins the small per-site
results. Filters: prefecture-level unit, county, device type code.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask import current_app

from server import periods
from server.extensions import db
from server.models import (
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
from server.services.coverage import targets as visit_targets
from server.services.plans.plans import BUREAU_TIERS
from server.services.plans.signals import current_inspections

LIST_LIMIT = 500  # longest detail list in the JSON answer; the exports have everything
LIVE_STATUSES = visit_targets.LIVE_STATUSES


@dataclass(frozen=True)
class Scope:
    """A period and the filters every coverage query shares."""

    start: date
    end: date  # exclusive
    kind: str = "quarterly"
    prefecture: str | None = None
    county: str | None = None
    device_type: str | None = None
    label: str | None = None

    @property
    def start_at(self) -> datetime:
        return periods.day_start(self.start)

    @property
    def end_at(self) -> datetime:
        return periods.day_start(self.end)

    @cached_property
    def visit_ids(self) -> list[int]:
        """Ids of the period's visits at the bureaus in scope, read once (see in_period_visits)."""
        query = sa.select(Visit.id).where(_visits_in(self))
        if self.prefecture or self.county:
            query = _site_filter(
                query.join(Site, Site.id == Visit.site_id).join(
                    Region, Region.code == Site.region_code
                ),
                self,
            )
        return list(db.session.scalars(query))


def scope_from(args: dict) -> Scope:
    """Build a Scope from ?quarter= or ?from=&to= (inclusive dates) plus filters; 422 on bad input."""
    filters = {k: args.get(k) or None for k in ("prefecture", "county", "device_type")}
    span = periods.query_span({k: args.get(k) for k in ("quarter", "from", "to")})
    return Scope(
        span.first, span.after, args.get("kind") or "quarterly", label=span.label, **filters
    )


def group_expr(region=Region):
    """The prefecture-level unit of a site (the province bureau counts with the capital)."""
    province_group = current_app.config.get("PLAN_PROVINCE_GROUP", "520100")
    return sa.case(
        (region.level == "county", region.parent_code),
        (region.level == "province", sa.literal(province_group)),
        else_=region.code,
    )


def _site_filter(query, scope: Scope, site=Site, region=Region):
    """Bureaus only, in the scope's prefecture / county (query already joins site and region)."""
    query = query.where(site.tier.in_(BUREAU_TIERS))
    if scope.prefecture:
        query = query.where(group_expr(region) == scope.prefecture)
    if scope.county:
        query = query.where(site.region_code == scope.county)
    return query


def _type_filter(query, scope: Scope):
    if scope.device_type:
        query = query.where(
            Device.type_id
            == sa.select(DeviceType.id)
            .where(DeviceType.code == scope.device_type)
            .scalar_subquery()
        )
    return query


def sites(scope: Scope) -> list[dict]:
    query = _site_filter(
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


def _visits_in(scope: Scope, visit=Visit):
    return sa.and_(
        visit.started_at >= scope.start_at,
        visit.started_at < scope.end_at,
        visit.inspection_kind == scope.kind,
    )


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
    per_room = _type_filter(
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
        query = _site_filter(
            query.join(Site, Site.id == Room.site_id).join(Region, Region.code == Site.region_code),
            scope,
        )
    return {site_id: int(count) for site_id, count in db.session.execute(query)}


def in_period_visits(scope: Scope, column=Inspection.visit_id):
    """column belongs to one of the period's visits.

    On PostgreSQL the ids go as one array parameter, so the planner reads inspections through
    the visit_id index instead of scanning the whole table to hash-join it with visits.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == sa.any_(sa.literal(scope.visit_ids, ARRAY(sa.Integer)))
    visits = sa.orm.aliased(Visit)
    query = sa.select(visits.id).where(_visits_in(scope, visits))
    if scope.prefecture or scope.county:
        query = _site_filter(
            query.join(Site, Site.id == visits.site_id).join(
                Region, Region.code == Site.region_code
            ),
            scope,
        )
    return column.in_(query)


def _inspections_in(scope: Scope):
    """Current inspections made during visits of the period: (visit site, device site) rows."""
    device_site = sa.orm.aliased(Room)
    query = (
        sa.select(
            Visit.site_id.label("visit_site"),
            device_site.site_id.label("device_site"),
            Inspection.device_id,
            Inspection.tag,
            Inspection.id.label("inspection_id"),
            Visit.started_at,
            Device.status.label("device_status"),
        )
        .join(Visit, Visit.id == Inspection.visit_id)
        .outerjoin(Device, Device.id == Inspection.device_id)
        .outerjoin(device_site, device_site.id == Device.room_id)
        .where(in_period_visits(scope), current_inspections())
    )
    if scope.device_type:
        query = _type_filter(query, scope)
    return query


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
        query = _site_filter(
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


def overdue_window(scope: Scope) -> datetime:
    """Start of the four quarters ending with the period's last quarter."""
    last = periods.quarter_of(scope.end - timedelta(days=1))
    year, quarter = periods.index_to_quarter(last - 3)
    return periods.day_start(periods.quarter_dates(year, quarter)[0])


_CACHE: OrderedDict = OrderedDict()
CACHE_SIZE = 16


def data_version() -> tuple:
    """Changes whenever anything coverage reads changes: inspections and visits are append-only
    (a correction is a new row), everything else carries an indexed updated_at."""
    newest = [sa.select(sa.func.max(Inspection.id)), sa.select(sa.func.max(Visit.id))]
    newest += [
        sa.select(sa.func.max(model.updated_at)) for model in (Device, Room, Site, Plan, PlanEntry)
    ]
    return tuple(db.session.scalar(query) for query in newest)


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
            "last_visit": last and _iso(last),
            "last_visit_ever": ever and _iso(ever),
            "expected": expected_here,
            "inspected": inspected_here if count else None,
            "missing": expected_here - inspected_here if count else None,
            "unexpected": unexpected.get(sid, 0) if count else None,
            "failed_items": failed.get(sid, 0),
            "overdue": ever is None or _aware(ever) < window,
            "missed": bool(entry and not count and periods.day_start(entry["due_date"]) < today),
        }
        row["state"] = tile_state(row)
        rows.append(row)
    return {
        "period": _period(scope),
        "filters": _filters(scope),
        "summary": _totals(rows),
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


def _period(scope: Scope) -> dict:
    return {
        "label": scope.label,
        "from": scope.start.isoformat(),
        "to": (scope.end - timedelta(days=1)).isoformat(),
        "kind": scope.kind,
        "overdue_since": overdue_window(scope).date().isoformat(),
    }


def _filters(scope: Scope) -> dict:
    return {
        "prefecture": scope.prefecture,
        "county": scope.county,
        "device_type": scope.device_type,
    }


def _aware(at: datetime) -> datetime:

    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _iso(at: datetime) -> str:
    return _aware(at).isoformat()
