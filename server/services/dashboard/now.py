"""The dashboard's tiles for today: the daily check, open faults and their clocks, this quarter's
plan, overdue bureaus, spare warnings, the review queues and the assessment projection.

Every figure comes from its feature's own query (the clocks from faults/sla.py, the coverage
from coverage/summary.py); this module only picks and counts.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Device, Fault, Meeting, Site, Swap
from server.services.assessment import scorer
from server.services.calendar import daily_checks, workdays
from server.services.coverage import summary as coverage
from server.services.coverage.scope import Scope
from server.services.faults import lifecycle, reports, sla, spares
from server.services.review import records as review_records
from server.services.sync import reports as phone_reports
from server.services.sync import set_aside
from server.services.sync.conflicts import conflicts_query

FAULT_ROWS = 20  # open faults listed (breaching first); the count covers them all
OVERDUE_ROWS = 10
MEETING_DAYS = 7  # the meetings tile looks this far ahead
MEETING_ROWS = 5


def daily_today(today: date) -> dict:
    """Today's daily check of the province bureau: owed today, done, by whom."""
    site, checks = daily_checks.checks_of_day(today)
    month_first, _ = periods.month_dates(today.year, today.month)
    ledger = daily_checks.daily_ledger(month_first, today, today=today)
    entries = daily_checks.planned_entries(site.id, today, today) if site else {}
    return {
        "day": today,
        "working_day": workdays.is_working_day(today),
        # a room-by-room check (no visit) counts too, as it does for the ledger
        "done": bool(checks) or bool(site and daily_checks.checked_days(site.id, today, today)),
        "site": site and {"code": site.code, "name": site.name},
        "plan_entry_id": entries.get(today),
        "checks": [
            {
                "visit_id": row.id,
                "started_at": row.started_at,
                "finished_at": row.finished_at,
                "username": row.username,
                "display_name": row.display_name,
            }
            for row in checks
        ],
        "month": {k: v for k, v in ledger.counts().items() if k != "upcoming_days"},
    }


def _fault_row(fault: Fault, site: tuple | None, states: dict) -> dict:
    return {
        "id": fault.id,
        "tag": fault.device.tag,
        "site_code": site and site[0],
        "site_name": site and site[1],
        "state": fault.state,
        "severity": fault.severity,
        "reported_at": fault.reported_at,
        "assignee": fault.assignee and (fault.assignee.display_name or fault.assignee.username),
        "clocks": {name: clock.as_dict() for name, clock in states.items()},
        "breached": [name for name, clock in states.items() if clock.breached],
        "about_to_breach": [name for name, clock in states.items() if clock.about_to_breach],
    }


def open_faults(now: datetime) -> dict:
    """Every open fault's clocks (sla.clocks), the breached and about-to-breach ones first."""
    faults = list(db.session.scalars(reports.list_query(open_only=True)))
    site_ids = {f.site_id for f in faults if f.site_id is not None}
    sites = {
        row.id: (row.code, row.name)
        for row in db.session.execute(
            sa.select(Site.id, Site.code, Site.name).where(Site.id.in_(site_ids))
        )
    }
    rows = [
        _fault_row(f, sites.get(f.site_id), sla.clocks(lifecycle.times_of(f), now)) for f in faults
    ]
    rows.sort(key=lambda r: (not r["breached"], not r["about_to_breach"], r["reported_at"]))
    return {
        "open": len(rows),
        "breached": sum(1 for r in rows if r["breached"]),
        "about_to_breach": sum(1 for r in rows if r["about_to_breach"]),
        "items": rows[:FAULT_ROWS],
    }


def quarter_scope(today: date) -> Scope:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    first, after = periods.quarter_dates(year, quarter)
    return Scope(first, after, "quarterly", label=periods.quarter_key(year, quarter))


def plan_and_overdue(today: date) -> tuple[dict, dict]:
    """This quarter's plan progress and the overdue bureaus, from one coverage summary."""
    scope = quarter_scope(today)
    result = coverage.summarise(scope)
    totals = result["summary"]
    plan = {
        "quarter": scope.label,
        "bureaus": totals["bureaus"],
        "planned": totals["planned"],
        "planned_visited": totals["planned_visited"],
        "visited": totals["visited"],
        "missed": sum(1 for r in result["sites"] if r["missed"]),
    }
    late = [r for r in result["sites"] if r["overdue"]]
    overdue = {
        "count": len(late),
        "items": [
            {
                "code": r["code"],
                "name": r["name"],
                "prefecture": r["prefecture"],
                "last_visit": r["last_visit_ever"],
            }
            for r in late[:OVERDUE_ROWS]
        ],
    }
    return plan, overdue


def _count(query) -> int:
    return db.session.scalar(
        sa.select(sa.func.count()).select_from(query.order_by(None).subquery())
    )


def review_counts() -> dict:
    """What waits in the review queues (/review), one count each."""
    return {
        "conflicts": _count(conflicts_query("open")),
        "swaps": db.session.scalar(
            sa.select(sa.func.count(Swap.id)).where(Swap.state == "flagged")
        ),
        "clock": _count(review_records.records_query("clock")),
        "photos": _count(review_records.records_query("photos")),
        # refused records a phone set aside with a reason: the supervisor reads them on /review
        "set_aside": _count(set_aside.set_asides_query()),
        # records phones held unsent that never reached the server (site data cleared)
        "lost": sum(
            len(phone_reports.never_arrived(r)) for r in phone_reports.reports_with_losses()
        ),
    }


def spare_warnings() -> dict:
    """The spares in the pool and the types below their threshold (spares.low_stock)."""
    total = db.session.scalar(sa.select(sa.func.count(Device.id)).where(Device.status == "spare"))
    return {"total": total, "low_stock": spares.low_stock()}


def assessment_now(term: tuple[date, date], now: datetime) -> dict | None:
    """The current term's projection and the points at risk this month; None outside the term."""
    first, last = term
    if not first <= periods.local_day(now) <= last:
        return None
    result = scorer.assess(first, last, now=now)
    return {
        "period": f"{first}..{last}",
        "score": result.total,
        "projection": result.projection,
        "at_risk_points": result.at_risk["points"],
    }


def coming_meetings(now: datetime) -> dict:
    """Scheduled meetings starting in the next MEETING_DAYS days: the count and the first few."""
    ahead = (
        sa.select(Meeting.id, Meeting.title, Meeting.starts_at)
        .where(
            Meeting.state == "scheduled",
            Meeting.starts_at >= now,
            Meeting.starts_at < now + timedelta(days=MEETING_DAYS),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    rows = db.session.execute(ahead.limit(MEETING_ROWS)).all()
    return {
        "days": MEETING_DAYS,
        "count": _count(ahead),
        "items": [{"id": r.id, "title": r.title, "starts_at": r.starts_at} for r in rows],
    }
