"""The scope of a coverage query (a period and its filters) and the filters every coverage
query shares: bureaus in the prefecture / county, device type, the period's visits."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import cached_property

import sqlalchemy as sa
from flask import current_app

from server import periods
from server.extensions import db
from server.models import BUREAU_TIERS, Device, DeviceType, Inspection, Region, Room, Site, Visit
from server.services.plans.signals import current_inspections

LIST_LIMIT = 500  # longest detail list in the JSON answer; the exports have everything


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
        query = sa.select(Visit.id).where(visits_in(self))
        if self.prefecture or self.county:
            query = site_filter(
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


def site_filter(query, scope: Scope, site=Site, region=Region):
    """Bureaus only, in the scope's prefecture / county (query already joins site and region)."""
    query = query.where(site.tier.in_(BUREAU_TIERS))
    if scope.prefecture:
        query = query.where(group_expr(region) == scope.prefecture)
    if scope.county:
        query = query.where(site.region_code == scope.county)
    return query


def type_filter(query, scope: Scope):
    if scope.device_type:
        query = query.where(
            Device.type_id
            == sa.select(DeviceType.id)
            .where(DeviceType.code == scope.device_type)
            .scalar_subquery()
        )
    return query


def visits_in(scope: Scope, visit=Visit):
    return sa.and_(
        visit.started_at >= scope.start_at,
        visit.started_at < scope.end_at,
        visit.inspection_kind == scope.kind,
    )


def in_period_visits(scope: Scope, column=Inspection.visit_id):
    """column belongs to one of the period's visits.

    On PostgreSQL the ids go as one array parameter, so the planner reads inspections through
    the visit_id index instead of scanning the whole table to hash-join it with visits.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == sa.any_(sa.literal(scope.visit_ids, ARRAY(sa.Integer)))
    visits = sa.orm.aliased(Visit)
    query = sa.select(visits.id).where(visits_in(scope, visits))
    if scope.prefecture or scope.county:
        query = site_filter(
            query.join(Site, Site.id == visits.site_id).join(
                Region, Region.code == Site.region_code
            ),
            scope,
        )
    return column.in_(query)


def inspections_in(scope: Scope):
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
        query = type_filter(query, scope)
    return query


def aware(at: datetime) -> datetime:

    return at if at.tzinfo else at.replace(tzinfo=UTC)


def offset_iso(at: datetime) -> str:
    return aware(at).isoformat()


def overdue_window(scope: Scope) -> datetime:
    """Start of the four quarters ending with the period's last quarter."""
    last = periods.quarter_of(scope.end - timedelta(days=1))
    year, quarter = periods.index_to_quarter(last - 3)
    return periods.day_start(periods.quarter_dates(year, quarter)[0])


def period_of(scope: Scope) -> dict:
    return {
        "label": scope.label,
        "from": scope.start.isoformat(),
        "to": (scope.end - timedelta(days=1)).isoformat(),
        "kind": scope.kind,
        "overdue_since": overdue_window(scope).date().isoformat(),
    }


def filters_of(scope: Scope) -> dict:
    return {
        "prefecture": scope.prefecture,
        "county": scope.county,
        "device_type": scope.device_type,
    }
