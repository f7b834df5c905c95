"""The coverage tile map: bureaus as equal tiles on a grid, coloured by coverage state."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa

from server.extensions import db
from server.models import BUREAU_TIERS, Region, Site
from server.services.coverage import summary as coverage
from server.services.coverage.scope import Scope, group_expr
from server.services.coverage.tiles import TileInput, layout

STATE_COLOURS = {
    "complete": "#2e7d32",
    "partial": "#f9a825",
    "planned": "#1e88e5",
    "missed": "#c62828",
    "overdue": "#8e24aa",
    "idle": "#bdbdbd",
}


def _positions() -> dict[str, tuple[int, int]]:
    """Every bureau's cell; computed on the whole province so filters do not move tiles."""
    rows = db.session.execute(
        sa.select(Site.code, Site.tier, group_expr(), Region.lon, Region.lat)
        .join(Region, Region.code == Site.region_code)
        .where(Site.tier.in_(BUREAU_TIERS))
    )
    tiles = [
        TileInput(code, group, lon or 0.0, lat or 0.0, tier) for code, tier, group, lon, lat in rows
    ]
    return _layout(tuple(sorted(tiles, key=lambda t: t.code)))


@lru_cache(maxsize=8)
def _layout(tiles: tuple[TileInput, ...]) -> dict[str, tuple[int, int]]:
    """Bureaus and their centres rarely change: lay them out once per distinct set."""
    return layout(list(tiles))


def tiles(scope: Scope) -> dict:
    table = coverage.summarise(scope)
    positions = _positions()
    result = []
    for row in table["sites"]:
        x, y = positions.get(row["code"], (0, 0))
        result.append(
            {
                "code": row["code"],
                "name": row["name"],
                "tier": row["tier"],
                "prefecture": row["prefecture"],
                "county": row["region_code"],
                "x": x,
                "y": y,
                "state": row["state"],
                "colour": STATE_COLOURS[row["state"]],
                "planned": row["planned"],
                "visited": row["visited"],
                "expected": row["expected"],
                "inspected": row["inspected"],
                "missing": row["missing"],
            }
        )
    width = max((x for x, _ in positions.values()), default=-1) + 1
    height = max((y for _, y in positions.values()), default=-1) + 1
    prefectures = dict(
        db.session.execute(
            sa.select(Region.code, Region.name).where(Region.level.in_(("prefecture", "new-area")))
        ).all()
    )
    return {
        "period": table["period"],
        "summary": table["summary"],
        "width": width,
        "height": height,
        "tiles": result,
        "legend": STATE_COLOURS,
        "prefectures": prefectures,
    }
