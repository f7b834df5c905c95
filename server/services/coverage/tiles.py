"""Equal-sized tiles for every bureau, placed near its real centre, grouped by prefecture.

No boundary data: lon/lat are projected onto a grid and collisions go to the nearest free
cell, preferring cells next to tiles of the same prefecture-level unit. Deterministic.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

CELL_DEGREES = 0.34  # about 35 km: Guizhou's 99 bureaus fit on a ~16 x 14 grid
GROUP_BONUS = 1.5  # cells of distance one same-unit neighbour is worth (keeps units together)


@dataclass(frozen=True)
class TileInput:
    code: str
    group: str
    lon: float
    lat: float
    tier: str


def _target(tile: TileInput, lon0: float, lat_max: float, cos_lat: float) -> tuple[float, float]:
    return (tile.lon - lon0) * cos_lat / CELL_DEGREES, (lat_max - tile.lat) / CELL_DEGREES


def layout(tiles: list[TileInput]) -> dict[str, tuple[int, int]]:
    """code -> (x, y) grid cell, unique, all tiles placed."""
    if not tiles:
        return {}
    lon0 = min(t.lon for t in tiles)
    lat_max = max(t.lat for t in tiles)
    cos_lat = math.cos(math.radians(sum(t.lat for t in tiles) / len(tiles)))
    targets = {t.code: _target(t, lon0, lat_max, cos_lat) for t in tiles}
    # Seats first (they anchor their groups near the true place), then counties prefecture
    # by prefecture, largest first; the neighbour bonus keeps each group together.
    group_sizes: dict[str, int] = {}
    for t in tiles:
        group_sizes[t.group] = group_sizes.get(t.group, 0) + 1
    seat_rank = {"province": 0, "prefecture": 1}
    order = sorted(
        tiles,
        key=lambda t: (
            t.tier == "county",
            -group_sizes[t.group],
            t.group,
            seat_rank.get(t.tier, 2),
            t.code,
        ),
    )
    taken: dict[tuple[int, int], str] = {}
    group_of = {t.code: t.group for t in tiles}
    placed: dict[str, tuple[int, int]] = {}
    for tile in order:
        cell = _nearest_free(targets[tile.code], taken, tile.group, group_of)
        taken[cell] = tile.code
        placed[tile.code] = cell
    return _shift_to_origin(placed)


def _nearest_free(target, taken, group, group_of) -> tuple[int, int]:
    """Free cell minimising distance, with a bonus for touching the same group."""
    tx, ty = target
    cx, cy = round(tx), round(ty)
    best, best_score = None, math.inf
    for radius in range(0, 64):
        for x in range(cx - radius, cx + radius + 1):
            for y in range(cy - radius, cy + radius + 1):
                if max(abs(x - cx), abs(y - cy)) != radius or (x, y) in taken:
                    continue
                score = (
                    math.hypot(x - tx, y - ty)
                    - GROUP_BONUS * _same_group_neighbours((x, y), taken, group, group_of) ** 0.5
                )
                if score < best_score or (score == best_score and (y, x) < (best[1], best[0])):
                    best, best_score = (x, y), score
        # Cells further out are at least radius - 0.5 away and earn at most 2 * GROUP_BONUS.
        if best is not None and radius - 0.5 - 2 * GROUP_BONUS > best_score:
            return best
    return best


def _same_group_neighbours(cell, taken, group, group_of) -> int:
    x, y = cell
    return sum(
        1
        for dx, dy in ((1, 0), (-1, 0), (0, 1), (0, -1))
        if group_of.get(taken.get((x + dx, y + dy))) == group
    )


def _shift_to_origin(placed: dict[str, tuple[int, int]]) -> dict[str, tuple[int, int]]:
    min_x = min(x for x, _ in placed.values())
    min_y = min(y for _, y in placed.values())
    return {code: (x - min_x, y - min_y) for code, (x, y) in placed.items()}
