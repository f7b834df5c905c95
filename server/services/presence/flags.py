"""Presence flags of visits and inspections, computed when read (the one place of their rules):
`far` (farther from the site's point than PRESENCE_MAX_METERS beyond the stated accuracy),
`no_position`, `clock_off` (the phone clock off by more than the skew limit), `no_site_point`
(the site has no coordinates to compare with), `typed_tag` (a tag typed by hand: an inspection's
or a fault's, either unit's of a swap)."""

from __future__ import annotations

import math

import sqlalchemy as sa
from flask import current_app

from server.extensions import db
from server.models import Site, User, Visit
from server.periods import Span
from server.services.sync.prepare import skew_limit

EARTH_RADIUS_M = 6_371_000
FLAGS = ("far", "no_position", "clock_off", "no_site_point", "typed_tag")
# What a supervisor should look at (the review queue): a site without coordinates is the
# registry's gap, not the record's, and would fill the queue until the points are entered.
REVIEW_FLAGS = ("far", "no_position", "clock_off", "typed_tag")
# Where a record says how the phone got a tag (an inspection, a fault; a swap has two units).
TAG_SOURCE_FIELDS = ("tag_source", "faulty_tag_source", "spare_tag_source")


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine; metres matter, not millimetres)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(a)))


def distance_sql(lat1, lon1, lat2, lon2):
    """distance_m as a SQL expression (SQLite's math functions, PostgreSQL's built-ins)."""

    def f(name, value):  # typed Float, so / and * stay floating point on PostgreSQL
        return getattr(sa.func, name)(value, type_=sa.Float)

    def rad(value):
        return f("radians", value)

    half_lat = f("sin", (rad(lat2) - rad(lat1)) / 2.0)
    half_lon = f("sin", (rad(lon2) - rad(lon1)) / 2.0)
    a = half_lat * half_lat + f("cos", rad(lat1)) * f("cos", rad(lat2)) * half_lon * half_lon
    root = f("sqrt", a)
    # Rounding can take an antipodal root past 1, where asin fails on PostgreSQL.
    return 2.0 * EARTH_RADIUS_M * f("asin", sa.case((root > 1.0, 1.0), else_=root))


def max_meters() -> int:
    return current_app.config.get("PRESENCE_MAX_METERS", 500)


def flags_of(record, site_lat, site_lon) -> tuple[list[str], float | None]:
    """(flags, distance in metres or None) of a record with lat/lon/accuracy_m/clock skew."""
    found, distance = [], None
    if abs(record.clock_skew_seconds or 0) > skew_limit():
        found.append("clock_off")
    if record.lat is None or record.lon is None:
        found.append("no_position")
    elif site_lat is None or site_lon is None:
        found.append("no_site_point")
    else:
        distance = distance_m(record.lat, record.lon, site_lat, site_lon)
        if distance - (record.accuracy_m or 0) > max_meters():  # the benefit of the doubt
            found.append("far")
    if any(getattr(record, name, None) == "typed" for name in TAG_SOURCE_FIELDS):
        found.append("typed_tag")
    return found, distance


def presence(record, point: tuple | None) -> dict | None:
    """A fault's or swap's presence against its site's point; None for a record not pushed by a
    phone (entered at the desk or through the API: no phone position or clock to judge)."""
    if not record.content_hash:
        return None
    found, distance = flags_of(record, *(point or (None, None)))
    return {
        "flags": found,
        "distance_m": None if distance is None else round(distance),
        "accuracy_m": record.accuracy_m,
    }


def review_sql(lat, lon, accuracy, skew, site_lat, site_lon, tag_source):
    """flags_of's REVIEW_FLAGS as one SQL condition on columns (the review queue's filter)."""
    limit, slack = skew_limit(), max_meters() + sa.func.coalesce(accuracy, 0)
    # Along the meridian then the parallel is never shorter than the great circle: a record
    # within that bound is near without the trigonometry (most are; it was 60 % of the query).
    box_m = (sa.func.abs(lat - site_lat) + sa.func.abs(lon - site_lon)) * (math.pi / 180)
    far = sa.and_(
        lat.is_not(None),
        lon.is_not(None),
        site_lat.is_not(None),
        site_lon.is_not(None),
        box_m * EARTH_RADIUS_M > slack,
        distance_sql(lat, lon, site_lat, site_lon) > slack,
    )
    return sa.or_(
        far,
        sa.or_(lat.is_(None), lon.is_(None)),
        sa.or_(skew > limit, skew < -limit),
        tag_source == "typed",
    )


def site_points(site_ids) -> dict:
    """Site id -> (lat, lon) for the given ids (None ignored), in one query."""
    wanted = sorted({s for s in site_ids if s is not None})
    if not wanted:
        return {}
    query = sa.select(Site.id, Site.lat, Site.lon).where(Site.id.in_(wanted))
    return {row.id: (row.lat, row.lon) for row in db.session.execute(query)}


def flagged_visits(span: Span, kind: str | None = None) -> list[dict]:
    """The period's visits with at least one flag, by start: site, engineer, flags, distance."""
    query = (
        sa.select(Visit, Site.code, Site.name, Site.lat, Site.lon, User.display_name)
        .join(Site, Site.id == Visit.site_id)
        .join(User, User.id == Visit.user_id)
        .where(Visit.started_at >= span.start, Visit.started_at < span.end)
        .order_by(Visit.started_at, Visit.id)
    )
    if kind:
        query = query.where(Visit.inspection_kind == kind)
    rows = []
    for visit, code, name, lat, lon, engineer in db.session.execute(query):
        found, distance = flags_of(visit, lat, lon)
        if found:
            rows.append(
                {
                    "uuid": visit.uuid,
                    "site_code": code,
                    "site": name,
                    "engineer": engineer,
                    "started_at": visit.started_at,
                    "flags": found,
                    "distance_m": None if distance is None else round(distance),
                    "accuracy_m": visit.accuracy_m,
                }
            )
    return rows
