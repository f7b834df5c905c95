"""What the records show: each computed deduction as a Finding with links to its records.

Readings (docs/assessment.md; daily checks: daily_points.py): a month's monthly inspection by a `monthly` visit there started in the month with an inspection, and its
written report by that visit finished with a summary. A day, month or quarter is owed once it
is over (today's check can still be done).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import BUREAU_TIERS, Inspection, Plan, PlanEntry, Site, Visit
from server.services.assessment import rules


@dataclass
class Finding:
    """One deduction or bonus on one line of a form, and the records behind it."""

    form: str
    item: str
    rule: str
    points: int
    on: date | None
    what: str
    links: list[dict] = field(default_factory=list)
    detail: dict = field(default_factory=dict)
    what_zh: str = ""  # the same in Chinese (an event's text is its own)

    def as_dict(self) -> dict:
        return {
            "form": self.form,
            "item": self.item,
            "rule": self.rule,
            "points": self.points,
            "on": self.on.isoformat() if self.on else None,
            "what": self.what,
            "what_zh": self.what_zh or self.what,
            "links": self.links,
            "detail": self.detail,
        }


def link(kind: str, label: str, url: str, id_: int | str | None = None) -> dict:
    return {"kind": kind, "id": id_, "label": label, "url": url}


def coverage_link(kind: str, first: date, last: date, label: str) -> dict:
    """The coverage of those days: the page for a quarter, else the API (the page shows quarters)."""
    if kind == "quarterly" and periods.quarter_of(first) == periods.quarter_of(last):
        year, quarter = periods.index_to_quarter(periods.quarter_of(first))
        return link("coverage", label, f"/coverage?quarter={periods.quarter_key(year, quarter)}")
    return link("coverage", label, f"/api/v1/coverage?kind={kind}&from={first}&to={last}")


def province_bureau_id() -> int | None:
    return db.session.scalar(sa.select(Site.id).where(Site.tier == "province").order_by(Site.id))


def _checked(query, kind: str, site_ids, start: datetime, end: datetime):
    """Only visits of a kind at these sites started in [start, end) that have an inspection."""
    has_inspection = sa.exists().where(Inspection.visit_id == Visit.id)
    query = query.where(
        Visit.inspection_kind == kind,
        Visit.started_at >= start,
        Visit.started_at < end,
        has_inspection,
    )
    return query.where(Visit.site_id.in_(site_ids)) if site_ids is not None else query


def _checked_visits(kind: str, site_ids, start: datetime, end: datetime) -> list[Visit]:
    """Visits of a kind at these sites started in [start, end) that have an inspection."""
    query = _checked(sa.select(Visit), kind, site_ids, start, end)
    return list(db.session.scalars(query.order_by(Visit.started_at)))


def _checked_sites(kind: str, site_ids, start: datetime, end: datetime) -> set[int]:
    """The sites of those visits: ids only, since at national scale a quarter has thousands of
    visits and loading each as an object was most of the assessment's time."""
    query = _checked(sa.select(Visit.site_id).distinct(), kind, site_ids, start, end)
    return set(db.session.scalars(query))


def _planned_entries(kind: str, first: date, last: date) -> list[PlanEntry]:
    return list(
        db.session.scalars(
            sa.select(PlanEntry)
            .join(Plan)
            .where(
                Plan.kind == kind,
                Plan.status == "active",
                PlanEntry.state == "planned",
                PlanEntry.due_date >= first,
                PlanEntry.due_date <= last,
            )
            .order_by(PlanEntry.due_date, PlanEntry.position)
        )
    )


def entry_link(entry: PlanEntry) -> dict:
    return link(
        "plan_entry",
        f"计划 #{entry.plan_id} 第{entry.position}项（{entry.due_date}）",
        f"/api/v1/plans/{entry.plan_id}#entry-{entry.id}",
        entry.id,
    )


def _months_due(first: date, last: date, today: date):
    """(year, month, first day, last day) of each month whose last day is in the range and over."""
    year, month = first.year, first.month
    while date(year, month, 1) <= last:
        month_first, after = periods.month_dates(year, month)
        month_last = after - timedelta(days=1)
        if first <= month_last <= last and month_last < today:
            yield year, month, month_first, month_last
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def missed_monthly(first: date, last: date, today: date) -> list[Finding]:
    """Monthly inspections not done (av form) and their written reports missing (software)."""
    province = province_bureau_id()
    found = []
    for year, month, month_first, month_last in _months_due(first, last, today):
        start, end = periods.day_start(month_first), periods.day_start(month_last + timedelta(1))
        visits = _checked_visits("monthly", [province], start, end) if province else []
        label = f"{year}-{month:02d}"
        cover = coverage_link("monthly", month_first, month_last, f"{label} 月度巡检")
        if not visits:
            what = f"{label}: no monthly inspection of the province bureau"
            zh = f"{label} 无省局月度巡检"
            found.append(
                Finding(
                    "av",
                    "daily_inspection",
                    "missed_monthly_inspection",
                    rules.MISSED_MONTHLY_POINTS,
                    month_last,
                    what,
                    [cover],
                    what_zh=zh,
                )
            )
        reported = [v for v in visits if v.finished_at and (v.summary or "").strip()]
        if not reported:
            links = [cover] + [visit_link(v) for v in visits]
            what = f"{label}: no monthly inspection report (a finished visit with its summary)"
            zh = f"{label} 无月度巡检报告（已完成且有总结的巡检）"
            found.append(
                Finding(
                    "software",
                    "communication",
                    "missed_monthly_report",
                    -1,
                    month_last,
                    what,
                    links,
                    what_zh=zh,
                )
            )
    return found


def visit_link(visit: Visit) -> dict:
    day = periods.local_day(visit.started_at)
    return link("visit", f"到访 #{visit.id}（{day}）", f"/api/v1/visits/{visit.uuid}", visit.id)


def missed_quarterly(first: date, last: date, today: date) -> list[Finding]:
    """-1 per bureau short of 30 visited in each quarter that ended in the range."""
    found = []
    for index in range(periods.quarter_of(first), periods.quarter_of(last) + 1):
        year, quarter = periods.index_to_quarter(index)
        q_first, after = periods.quarter_dates(year, quarter)
        q_last = after - timedelta(days=1)
        if not (first <= q_last <= last and q_last < today):
            continue
        bureaus = sa.select(Site.id).where(Site.tier.in_(BUREAU_TIERS))
        visited = _checked_sites(
            "quarterly", bureaus, periods.day_start(q_first), periods.day_start(after)
        )
        short = max(0, rules.QUARTERLY_SITES - len(visited))
        unvisited = [
            e for e in _planned_entries("quarterly", q_first, q_last) if e.site_id not in visited
        ]
        key = periods.quarter_key(year, quarter)
        for n in range(short):
            links = [coverage_link("quarterly", q_first, q_last, f"{key} 覆盖")]
            if n < len(unvisited):
                links.insert(0, entry_link(unvisited[n]))
            what = f"{key}: {len(visited)} of {rules.QUARTERLY_SITES} bureaus visited"
            zh = f"{key} 抽检 {len(visited)}/{rules.QUARTERLY_SITES} 个点位"
            found.append(
                Finding(
                    "av",
                    "daily_inspection",
                    "missed_quarterly_visit",
                    rules.MISSED_QUARTERLY_POINTS,
                    q_last,
                    what,
                    links,
                    what_zh=zh,
                )
            )
    return found
