"""A site's point proposed from where its accepted visits and inspections were recorded: the
median latitude and longitude (a few wrong fixes do not move it), for a supervisor to confirm."""

from __future__ import annotations

import statistics

import sqlalchemy as sa

from server.extensions import db
from server.models import Inspection, Site, Visit
from server.services.core.places import LAT_RANGE, LON_RANGE
from server.services.presence.flags import distance_m

MAX_ACCURACY_M = 200  # a vaguer fix says little about where the building is


def _inside_china(lat: float, lon: float) -> bool:
    return LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LON_RANGE[0] <= lon <= LON_RANGE[1]


def _positions(site: Site) -> list[tuple[float, float]]:
    good = sa.or_(Visit.accuracy_m.is_(None), Visit.accuracy_m <= MAX_ACCURACY_M)
    visits = sa.select(Visit.lat, Visit.lon).where(
        Visit.site_id == site.id, Visit.lat.is_not(None), Visit.lon.is_not(None), good
    )
    inspections = (
        sa.select(Inspection.lat, Inspection.lon)
        .join(Visit, Visit.id == Inspection.visit_id)
        .where(
            Visit.site_id == site.id,
            Inspection.lat.is_not(None),
            Inspection.lon.is_not(None),
            sa.or_(Inspection.accuracy_m.is_(None), Inspection.accuracy_m <= MAX_ACCURACY_M),
        )
    )
    rows = db.session.execute(sa.union_all(visits, inspections)).all()
    return [(lat, lon) for lat, lon in rows if _inside_china(lat, lon)]


def proposal(site: Site) -> dict:
    """The median point, how many fixes it rests on, their median distance from it (spread)
    and how far the site's current point is from it; nulls when no fix is usable."""
    found = _positions(site)
    if not found:
        return {"lat": None, "lon": None, "records": 0, "spread_m": None, "moved_m": None}
    lat = statistics.median(p[0] for p in found)
    lon = statistics.median(p[1] for p in found)
    spread = statistics.median(distance_m(lat, lon, *p) for p in found)
    moved = (
        None if site.lat is None or site.lon is None else distance_m(lat, lon, site.lat, site.lon)
    )
    return {
        "lat": round(lat, 6),
        "lon": round(lon, 6),
        "records": len(found),
        "spread_m": round(spread),
        "moved_m": None if moved is None else round(moved),
    }
