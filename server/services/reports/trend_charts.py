"""The dashboard's trend charts in the reports: the figures come from dashboard/trends.py (the
same functions GET /api/v1/dashboard answers with, no second computation), drawn by charts.py
with the dashboard's titles, series and colours.

A monthly report shows the 12 months ending with its month; the quarterly report its quarter.
"""

from __future__ import annotations

from datetime import date, datetime

from server import periods
from server.services.dashboard import trends
from server.services.reports import charts

BAND_COLOURS = ["#2e7d32", "#9e9d24", "#ef6c00", "#d84315", "#b71c1c"]
DUE_COLOUR = "#90a4ae"
RATE_TARGET = 0.95


def window(span: periods.Span) -> periods.Span:
    """The 12 months ending with the report's month (the dashboard's default window)."""
    return trends.last_months(span.first)


def _labels(months: list[str]) -> list[str]:
    return [f"{int(m[5:])}月" for m in months]


def _desc(months: list[str]) -> str:
    return f"{len(months)} 个月的数据，每组一个月（{months[0]} 至 {months[-1]}）。"


def _pct(value) -> str:
    return f"{round(value * 100)}%"


def _band_names() -> list[str]:
    names, previous = [], None
    for band in trends.band_limits():
        limit = band["up_to_minutes"]
        names.append(f"超过 {previous} 分钟" if limit is None else f"≤{limit} 分钟")
        previous = limit
    return names


def fault_charts(span: periods.Span, now: datetime) -> dict:
    """Faults and resolved per month, the resolution rate with its target, response bands."""
    months_span = window(span)
    months = trends.months_of(months_span)
    faults, response = trends.faults_by_month(months_span, now)
    labels, desc = _labels(months), _desc(months)
    bands = [
        {
            "name": name,
            "values": [m["counts"][i] for m in response],
            "color": BAND_COLOURS[i % len(BAND_COLOURS)],
        }
        for i, name in enumerate(_band_names())
    ]
    return {
        "faults": charts.bar_chart(
            "每月故障数与已解决数",
            labels,
            [
                {"name": "报修", "values": [m["reported"] for m in faults]},
                {"name": "已解决", "values": [m["resolved"] for m in faults]},
            ],
            desc=desc,
        ),
        "rate": charts.line_chart(
            "每月故障解决率",
            labels,
            [{"name": "解决率", "values": [m["rate"] for m in faults]}],
            desc=desc,
            fmt=_pct,
            max_value=1,
            target=RATE_TARGET,
            target_name="目标",
        ),
        "response": charts.bar_chart("每月响应时间分档", labels, bands, desc=desc, stacked=True),
    }


def daily_chart(span: periods.Span, today: date):
    """Working days owed and days with a daily check, per month."""
    months_span = window(span)
    months = trends.months_of(months_span)
    rows = trends.daily_by_month(months_span, today)
    return charts.bar_chart(
        "每月每日检查",
        _labels(months),
        [
            {"name": "应检天数", "values": [m["due"] for m in rows], "color": DUE_COLOUR},
            {"name": "已检天数", "values": [m["checked"] for m in rows]},
        ],
        desc=_desc(months),
    )


def coverage_chart(span: periods.Span):
    """Visited share of the bureaus per prefecture in the quarter; None when there are none."""
    quarter = periods.Span(span.label, span.first, span.after)
    rows = trends.coverage_by_quarter(quarter)
    if not rows:
        return None
    return charts.hbar_chart(
        "各市（州）巡检覆盖率",
        [r["name"] for r in rows],
        [
            {
                "name": f"{span.label} 覆盖率",
                "values": [r["visited"] / r["bureaus"] if r["bureaus"] else 0 for r in rows],
            }
        ],
        desc=f"{len(rows)} 个市（州），每行一个。",
        fmt=_pct,
        max_value=1,
    )
