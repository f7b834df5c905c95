"""Tile layout: every bureau its own cell, near its real place, units contiguous, deterministic."""

from __future__ import annotations

import math

from server.services.core import reference
from server.services.coverage.tiles import CELL_DEGREES, TileInput, layout


def guizhou_tiles() -> list[TileInput]:
    tiles = []
    for row in reference.read_csv("guizhou-divisions.csv"):
        level = row["level"]
        group = (
            row["parent_code"]
            if level == "county"
            else ("520100" if level == "province" else row["code"])
        )
        tier = "prefecture" if level == "new-area" else level
        tiles.append(TileInput(row["code"], group, float(row["lon"]), float(row["lat"]), tier))
    return tiles


def test_all_99_placed_on_unique_cells():
    placed = layout(guizhou_tiles())
    assert len(placed) == 99
    assert len(set(placed.values())) == 99
    assert min(x for x, _ in placed.values()) == 0 and min(y for _, y in placed.values()) == 0


def test_deterministic_and_order_independent():
    tiles = guizhou_tiles()
    assert layout(tiles) == layout(list(reversed(tiles)))


def test_tiles_stay_near_their_centres_and_groups_hold_together():
    tiles = guizhou_tiles()
    placed = layout(tiles)
    by_code = {t.code: t for t in tiles}
    # West-east and north-south order survive: compare the projected offsets pairwise.
    lon0 = min(t.lon for t in tiles)
    lat_max = max(t.lat for t in tiles)
    cos_lat = math.cos(math.radians(26.8))
    shift_x = min((t.lon - lon0) * cos_lat / CELL_DEGREES for t in tiles)
    errors = []
    for code, (x, y) in placed.items():
        t = by_code[code]
        tx = (t.lon - lon0) * cos_lat / CELL_DEGREES - shift_x
        ty = (lat_max - t.lat) / CELL_DEGREES
        errors.append(math.hypot(x - tx, y - ty))
    assert sorted(errors)[len(errors) // 2] < 2.5  # median displacement in cells
    # Each prefecture-level unit is one connected block of tiles.
    cells = {cell: by_code[code].group for code, cell in placed.items()}
    for group in {t.group for t in tiles}:
        mine = {cell for cell, g in cells.items() if g == group}
        start = next(iter(mine))
        seen, stack = set(), [start]
        while stack:
            x, y = stack.pop()
            if (x, y) in seen:
                continue
            seen.add((x, y))
            stack += [c for c in ((x + 1, y), (x - 1, y), (x, y + 1), (x, y - 1)) if c in mine]
        assert seen == mine, group
