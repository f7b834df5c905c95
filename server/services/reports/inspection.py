"""设备巡检技术报告: the province bureau's monthly inspection of a month, from its records."""

from __future__ import annotations

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Device, DeviceType, Fault, Inspection, Room, Site, Visit
from server.services.calendar import daily_checks
from server.services.evidence import anchors
from server.services.faults import lifecycle
from server.services.plans.signals import current_inspections
from server.services.presence import report as presence_report
from server.services.reports import common, notes, trend_charts

TITLE = "设备巡检技术报告"
KIND = "inspection_monthly"


def _inspections(site: Site, span: periods.Span) -> list[dict]:
    """Every device checked in the month's monthly visits (the latest record of each check)."""
    rows = db.session.execute(
        sa.select(Inspection, DeviceType.name_zh, Room.name)
        .join(Visit, Visit.id == Inspection.visit_id)
        .outerjoin(Device, Device.id == Inspection.device_id)
        .outerjoin(DeviceType, DeviceType.id == Device.type_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .where(
            Visit.site_id == site.id,
            Visit.inspection_kind == "monthly",
            Visit.started_at >= span.start,
            Visit.started_at < span.end,
            current_inspections(),
        )
        .order_by(Room.name, Inspection.tag, Inspection.client_time)
    ).all()
    people = common.names_of(i.user_id for i, *_ in rows)
    return [
        {
            "tag": inspection.tag,
            "device": type_name or "未登记设备",
            "room": room_name or "—",
            "outcome": common.OUTCOME.get(inspection.outcome, inspection.outcome),
            "failed": inspection.outcome == "fail",
            "at": inspection.client_time,
            "engineer": people.get(inspection.user_id, "—"),
            "tag_source": presence_report.words_of(inspection.tag_source),
        }
        for inspection, type_name, room_name in rows
    ]


def _daily_checks(site: Site, span: periods.Span) -> int:
    """Days of the month with a daily health check at the province bureau."""
    starts = db.session.scalars(
        sa.select(Visit.started_at).where(
            Visit.site_id == site.id,
            Visit.inspection_kind == "daily",
            Visit.started_at >= span.start,
            Visit.started_at < span.end,
        )
    )
    return len({periods.local_day(at) for at in starts})


def _faults(site: Site, span: periods.Span) -> list[dict]:
    faults = db.session.scalars(
        sa.select(Fault)
        .where(Fault.site_id == site.id, Fault.reported_at >= span.start)
        .where(Fault.reported_at < span.end)
        .order_by(Fault.reported_at)
    ).all()
    return [
        {
            "id": f.id,
            "tag": f.device.tag,
            "device": f.device.type.name_zh,
            "severity": common.SEVERITY.get(f.severity, f.severity),
            "state": common.FAULT_STATE.get(f.state, f.state),
            "reported_at": f.reported_at,
            "resolved_at": f.resolved_at,
            "description": f.description,
            "resolution": f.resolution or "",
        }
        for f in faults
    ]


def context(span: periods.Span) -> dict:
    """Everything the template prints; `empty` when the month has no inspection or fault."""
    site = daily_checks.province_bureau()
    checked = _inspections(site, span) if site else []
    faults = _faults(site, span) if site else []
    failed = common.failed_results(span, "monthly", site.id) if site else []
    return {
        **common.header(TITLE, span),
        "site": site.name if site else "（尚未登记省医保局）",
        "inspections": checked,
        "devices_checked": len({row["tag"] for row in checked}),
        "devices_failed": len({row["tag"] for row in checked if row["failed"]}),
        "daily_check_days": _daily_checks(site, span) if site else 0,
        "failed_items": failed,
        "faults": faults,
        "tag_sources": presence_report.tag_sources(span, "monthly", site.id) if site else None,
        "recommendations": notes.text_of(KIND, span.label),
        "daily_chart": trend_charts.daily_chart(span, periods.local_day(lifecycle.current_time())),
        "empty": not checked and not faults,
        # The chain's head at the end of each day (docs/evidence.md): printed, kept elsewhere.
        "anchors": anchors.daily(span),
    }
