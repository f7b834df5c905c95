"""故障处理与SLA月报: each fault of a month with its clocks, breaches, the resolution rate,
spare swaps and repairs, and the spare stock."""

from __future__ import annotations

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import RmaRecord, Site, Swap
from server.services.faults import lifecycle as fault_service
from server.services.faults import reports as fault_reports
from server.services.faults import sla, spares
from server.services.reports import common, trend_charts

TITLE = "故障处理与SLA月报"
KIND = "faults_monthly"


def _fault_row(fault, now, sites: dict[int, str]) -> dict:
    clocks = sla.clocks(fault_service.times_of(fault), now)
    response = clocks["response"]
    return {
        "id": fault.id,
        "site": sites.get(fault.site_id, "—"),
        "tag": fault.device.tag,
        "device": fault.device.type.name_zh,
        "severity": common.SEVERITY.get(fault.severity, fault.severity),
        "urgent": fault.urgent_meeting,
        "state": common.FAULT_STATE.get(fault.state, fault.state),
        "reported_at": fault.reported_at,
        "responded_at": fault.responded_at,
        "spare_installed_at": fault.spare_installed_at,
        "resolved_at": fault.resolved_at,
        "clocks": [
            {
                "name": common.CLOCK[name],
                "state": common.CLOCK_STATE.get(clock.state, clock.state),
                "breached": clock.breached,
            }
            for name, clock in clocks.items()
        ],
        "breaches": [common.CLOCK[n] for n, c in clocks.items() if c.breached],
        "response_deduction": response.deduction,
        "description": fault.description,
    }


def _site_names(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return dict(db.session.execute(sa.select(Site.id, Site.name).where(Site.id.in_(ids))).all())


def _swaps(span: periods.Span) -> list[dict]:
    swaps = db.session.scalars(
        sa.select(Swap)
        .where(Swap.swapped_at >= span.start, Swap.swapped_at < span.end)
        .order_by(Swap.swapped_at)
    ).all()
    return [
        {
            "at": s.swapped_at,
            "fault_id": s.fault_id,
            "faulty": s.faulty_device.tag,
            "spare": s.spare_device.tag,
            "device": s.faulty_device.type.name_zh,
            "better_grade": s.better_grade,
            "state": common.SWAP_STATE.get(s.state, s.state),
        }
        for s in swaps
    ]


def _repairs(span: periods.Span) -> list[dict]:
    """Units sent to the vendor or back from it in the month."""
    sent = sa.and_(RmaRecord.sent_at >= span.start, RmaRecord.sent_at < span.end)
    back = sa.and_(RmaRecord.returned_at >= span.start, RmaRecord.returned_at < span.end)
    rows = db.session.scalars(
        sa.select(RmaRecord).where(sa.or_(sent, back)).order_by(RmaRecord.id)
    ).all()
    return [
        {
            "tag": r.device.tag,
            "device": r.device.type.name_zh,
            "vendor": r.vendor or "—",
            "sent_at": r.sent_at,
            "returned_at": r.returned_at,
            "outcome": common.RMA_OUTCOME.get(r.outcome, r.outcome),
            "fault_id": r.fault_id,
        }
        for r in rows
    ]


def context(span: periods.Span) -> dict:
    now = fault_service.current_time()
    faults = fault_reports.period_faults(span.start, span.end)
    faults.sort(key=lambda f: (f.reported_at, f.id))
    sites = _site_names(f.site_id for f in faults)
    rows = [_fault_row(f, now, sites) for f in faults]
    summary = fault_reports.stats(span.start, span.end, now)
    swaps, repairs = _swaps(span), _repairs(span)
    return {
        **common.header(TITLE, span),
        "faults": rows,
        "breached": [r for r in rows if r["breaches"]],
        "resolution": summary["resolution"],
        "clock_counts": [
            {"name": common.CLOCK[name], **counts} for name, counts in summary["clocks"].items()
        ],
        "response_bands": summary["response_bands"],
        "response_deduction": summary["response_deduction_estimate"],
        "swaps": swaps,
        "repairs": repairs,
        "stock": spares.pool_summary(),
        "as_of": now,
        "charts": trend_charts.fault_charts(span, now),
        "empty": not rows and not swaps and not repairs,
    }
