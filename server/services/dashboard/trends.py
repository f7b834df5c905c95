"""The dashboard's trends over a period (by default the last 12 months): faults and their
resolution rate, response times in the contract's bands, daily checks done, per month;
coverage per quarter and prefecture.

Each figure is one query over the period (column rows, no ORM objects, no query per row);
the clocks and bands are faults/sla.py's, the coverage coverage/summary.py's (cached).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Fault, Region
from server.services.calendar import daily_checks
from server.services.coverage import summary as coverage
from server.services.coverage.scope import Scope
from server.services.faults import sla

MONTHS = 12  # the default window: this month and the eleven before it


def last_months(today: date) -> periods.Span:
    """The default period: the 12 months ending with this one (China time)."""
    index = today.year * 12 + today.month - 1 - (MONTHS - 1)
    first = date(index // 12, index % 12 + 1, 1)
    _, after = periods.month_dates(today.year, today.month)
    return periods.Span(f"{first}..{after - timedelta(days=1)}", first, after)


def months_of(span: periods.Span) -> list[str]:
    out, day = [], span.first.replace(day=1)
    while day < span.after:
        out.append(f"{day.year}-{day.month:02d}")
        day = (day + timedelta(days=32)).replace(day=1)
    return out


def _month(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def faults_by_month(span: periods.Span, now: datetime) -> tuple[list[dict], list[dict]]:
    """Per month: faults reported and resolved (sla.resolution_rate) and responses per band."""
    rows = db.session.execute(
        sa.select(
            Fault.reported_at,
            Fault.urgent_meeting,
            Fault.responded_at,
            Fault.diagnosing_at,
            Fault.spare_installed_at,
            Fault.resolved_at,
        ).where(Fault.reported_at >= span.start, Fault.reported_at < span.end)
    )
    by_month: dict[str, list[sla.FaultTimes]] = defaultdict(list)
    for row in rows:
        by_month[_month(periods.local_day(row.reported_at))].append(sla.FaultTimes(*row))
    faults, bands = [], []
    for month in months_of(span):
        summary = sla.summarize(by_month.get(month, []), now)
        rate = summary["resolution"]
        faults.append(
            {
                "month": month,
                "reported": rate["reported"],
                "resolved": rate["resolved"],
                "rate": rate["rate"],
            }
        )
        bands.append({"month": month, "counts": [b["count"] for b in summary["response_bands"]]})
    return faults, bands


def band_limits() -> list[dict]:
    """The response bands of the contract (sla.RESPONSE_BANDS): up to N minutes, the deduction."""
    return [
        {
            "up_to_minutes": None if limit is None else int(limit.total_seconds() // 60),
            "deduction": points,
        }
        for limit, points in sla.RESPONSE_BANDS
    ]


def daily_by_month(span: periods.Span, today: date) -> list[dict]:
    """Per month: the working days owed (before today) and those with a daily check."""
    ledger = daily_checks.daily_ledger(span.first, span.after - timedelta(days=1), today=today)
    due, done = defaultdict(int), defaultdict(int)
    for day in ledger.due:
        due[_month(day)] += 1
    for day in ledger.checked:
        done[_month(day)] += 1
    return [{"month": m, "due": due[m], "checked": done[m]} for m in months_of(span)]


def quarters_of(span: periods.Span) -> list[tuple[int, int]]:
    found, day = [], span.first
    while day < span.after:
        key = (day.year, (day.month - 1) // 3 + 1)
        if key not in found:
            found.append(key)
        day = periods.quarter_dates(*key)[1]
    return found


def coverage_by_quarter(span: periods.Span) -> list[dict]:
    """Per quarter and prefecture-level unit: bureaus, planned, visited (coverage.summarise)."""
    names = dict(db.session.execute(sa.select(Region.code, Region.name)).all())
    out = []
    for year, quarter in quarters_of(span):
        first, after = periods.quarter_dates(year, quarter)
        label = periods.quarter_key(year, quarter)
        rows = coverage.summarise(Scope(first, after, "quarterly", label=label))["sites"]
        groups: dict[str, dict] = {}
        for row in rows:
            code = row["prefecture"]
            group = groups.setdefault(
                code,
                {
                    "quarter": label,
                    "prefecture": code,
                    "name": names.get(code, code),
                    "bureaus": 0,
                    "planned": 0,
                    "visited": 0,
                },
            )
            group["bureaus"] += 1
            group["planned"] += row["planned"]
            group["visited"] += row["visited"]
        out.extend(groups[code] for code in sorted(groups))
    return out


def trends(span: periods.Span, today: date, now: datetime) -> dict:
    faults, bands = faults_by_month(span, now)
    return {
        "period": {
            "label": span.label,
            "first": span.first,
            "last": span.after - timedelta(days=1),
        },
        "months": months_of(span),
        "faults": faults,
        "bands": band_limits(),
        "response": bands,
        "daily_checks": daily_by_month(span, today),
        "coverage": coverage_by_quarter(span),
    }
