"""全省设备抽样巡检季度报告: the quarter's plan with its seed, visited and missed bureaus,
coverage per prefecture, failed items with photos and the tile map (services/coverage*.py)."""

from __future__ import annotations

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Region
from server.services.coverage import map as coverage_map
from server.services.coverage import summary as coverage
from server.services.plans import plans
from server.services.presence import flags as presence_flags
from server.services.presence import report as presence_report
from server.services.reports import common, trend_charts

TITLE = "全省设备抽样巡检季度报告"
KIND = "sampling_quarterly"
PRESENCE_ZH = {
    "no_position": "没有定位",
    "clock_off": "手机时钟偏差",
    "no_site_point": "点位尚无坐标",
    "typed_tag": "手动输入标签",
}
TILE = 28  # px of one tile in the map, gap included
STATE_ZH = {
    "complete": "已巡检（完整）",
    "partial": "已巡检（有缺项）",
    "planned": "已计划",
    "missed": "计划未巡检",
    "overdue": "超过一年未巡检",
    "idle": "未计划",
}


def _plan(span: periods.Span) -> dict | None:
    plan = plans.active_plan("quarterly", span.label)
    if plan is None:
        return None
    people = common.names_of([plan.created_by_id, *(e.engineer_id for e in plan.entries)])
    return {
        "seed": plan.seed,
        "size": plan.size,
        "created_at": plan.created_at,
        "created_by": people.get(plan.created_by_id, "—"),
        "entries": [
            {
                "site": e.site.name,
                "due_date": e.due_date.isoformat(),
                "engineer": people.get(e.engineer_id, "—"),
                "state": common.ENTRY_STATE.get(e.state, e.state),
                "required": e.required,
                "replace_reason": e.replace_reason or "",
            }
            for e in sorted(plan.entries, key=lambda e: (e.position, e.id))
        ],
    }


def _prefectures(rows: list[dict]) -> list[dict]:
    names = dict(db.session.execute(sa.select(Region.code, Region.name)).all())
    groups: dict[str, dict] = {}
    for row in rows:
        group = groups.setdefault(
            row["prefecture"],
            {"name": names.get(row["prefecture"], row["prefecture"]), "bureaus": 0},
        )
        group["bureaus"] += 1
        for key in ("planned", "visited", "missed"):
            group[key] = group.get(key, 0) + bool(row[key])
        group["expected"] = group.get("expected", 0) + (row["expected"] if row["visited"] else 0)
        group["inspected"] = group.get("inspected", 0) + (row["inspected"] or 0)
    for group in groups.values():
        group["share"] = group["visited"] / group["bureaus"] if group["bureaus"] else None
    return sorted(groups.values(), key=lambda g: g["name"])


def _tile_map(scope: coverage.Scope) -> dict:
    data = coverage_map.tiles(scope)
    return {
        "width": max(data["width"], 1) * TILE,
        "height": max(data["height"], 1) * TILE,
        "tile": TILE - 3,
        "tiles": [
            {**t, "px": t["x"] * TILE, "py": t["y"] * TILE, "short": t["name"][:2]}
            for t in data["tiles"]
        ],
        "legend": [
            {"state": STATE_ZH[state], "colour": colour} for state, colour in data["legend"].items()
        ],
    }


def context(span: periods.Span) -> dict:
    scope = coverage.Scope(span.first, span.after, "quarterly", label=span.label)
    table = coverage.summarise(scope)
    rows = table["sites"]
    visited = [r for r in rows if r["visited"]]
    missed = [r for r in rows if r["planned"] and not r["visited"]]
    plan = _plan(span)
    return {
        **common.header(TITLE, span),
        "plan": plan,
        "summary": table["summary"],
        "visited": visited,
        "missed": missed,
        "prefectures": _prefectures(rows),
        "failed_items": common.failed_results(span, "quarterly"),
        "map": _tile_map(scope),
        "coverage_chart": trend_charts.coverage_chart(span),
        "empty": plan is None and not visited,
        # Visits far from their site, without a position or with the clock off (flagged only).
        "presence": presence_flags.flagged_visits(span, "quarterly"),
        "presence_limit": presence_flags.max_meters(),
        "presence_words": PRESENCE_ZH,
        # The quarter's inspections far away, without a position, clock off or typed (flagged).
        "presence_inspections": presence_report.flagged_inspections(span, "quarterly"),
        # How each inspection's tag was obtained: scanned, typed, chosen from a list, unknown.
        "tag_sources": presence_report.tag_sources(span, "quarterly"),
    }
