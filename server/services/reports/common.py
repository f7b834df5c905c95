"""What every report shares: period titles, Chinese labels of the stored codes, checklist
item names, people's names, and the failed checklist items of a period with their photos."""

from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from server import periods
from server.extensions import db
from server.models import (
    ChecklistItem,
    Device,
    DeviceType,
    Inspection,
    InspectionResult,
    Room,
    Site,
    User,
    Visit,
)
from server.services.faults.lifecycle import current_time
from server.services.plans.signals import current_inspections
from server.services.reports import photos

SEVERITY = {"minor": "一般", "major": "严重", "critical": "紧急"}
FAULT_STATE = {
    "reported": "已报告",
    "responded": "已响应",
    "diagnosing": "诊断中",
    "spare_installed": "已装备件",
    "resolved": "已解决",
    "closed": "已关闭",
}
CLOCK = {"response": "响应", "work": "维修工时", "spare": "备件到位", "handling": "总处理时长"}
CLOCK_STATE = {
    "met": "达标",
    "breached": "超时",
    "running": "计时中",
    "about_to_breach": "即将超时",
    "not_started": "未开始",
    "not_needed": "无需",
}
OUTCOME = {"pass": "正常", "fail": "异常", "na": "不适用"}
SWAP_STATE = {"applied": "已生效", "flagged": "待审核", "dismissed": "已驳回"}
RMA_OUTCOME = {"repaired": "已修复", "replaced": "已换新", "scrapped": "已报废", None: "在修"}
ENTRY_STATE = {"planned": "计划中", "replaced": "已替换", "cancelled": "已取消"}
QUARTER_ZH = {1: "第一季度", 2: "第二季度", 3: "第三季度", 4: "第四季度"}


def period_title(span: periods.Span) -> str:
    """2025年12月, 2025年第四季度, 2025年, or 2025-01-01 至 2025-12-31."""
    label = span.label
    if "Q" in label:
        return f"{label[:4]}年{QUARTER_ZH[int(label[-1])]}"
    if len(label) == 7:
        return f"{label[:4]}年{int(label[5:])}月"
    if len(label) == 4:
        return f"{label}年"
    last = span.after.toordinal() - 1
    return f"{span.first} 至 {span.first.fromordinal(last)}"


def header(title: str, span: periods.Span) -> dict:
    """The heading facts of every report."""
    return {
        "title": title,
        "period": span.label,
        "period_title": period_title(span),
        "first_day": span.first.isoformat(),
        "last_day": span.first.fromordinal(span.after.toordinal() - 1).isoformat(),
        "client": current_app.config.get("LABEL_OWNER_LINE") or "贵州省医疗保障局",
        "generated_at": current_time(),
    }


def names_of(user_ids) -> dict[int, str]:
    ids = {i for i in user_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(sa.select(User.id, User.display_name).where(User.id.in_(ids)))
    return dict(rows.all())


def item_labels(template_ids) -> dict[tuple[int, str], str]:
    """(template id, item key) -> the item's Chinese label."""
    ids = {i for i in template_ids if i is not None}
    if not ids:
        return {}
    rows = db.session.execute(
        sa.select(ChecklistItem.template_id, ChecklistItem.key, ChecklistItem.label_zh).where(
            ChecklistItem.template_id.in_(ids)
        )
    )
    return {(t, k): label for t, k, label in rows}


def failed_results(span: periods.Span, kind: str, site_id: int | None = None) -> list[dict]:
    """Every checklist item answered 'fail' in the period's current inspections of a kind
    (at one site, or at all), with its device, place, note and embedded photos."""
    query = (
        sa.select(InspectionResult, Inspection, Visit, Site.name, DeviceType.name_zh, Room.name)
        .join(Inspection, Inspection.id == InspectionResult.inspection_id)
        .join(Visit, Visit.id == Inspection.visit_id)
        .join(Site, Site.id == Visit.site_id)
        .outerjoin(Device, Device.id == Inspection.device_id)
        .outerjoin(DeviceType, DeviceType.id == Device.type_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .where(
            InspectionResult.outcome == "fail",
            Visit.inspection_kind == kind,
            Visit.started_at >= span.start,
            Visit.started_at < span.end,
            current_inspections(),
        )
        .order_by(Site.code, Inspection.tag, InspectionResult.id)
    )
    if site_id is not None:
        query = query.where(Visit.site_id == site_id)
    rows = db.session.execute(query).all()
    labels = item_labels(inspection.template_id for _, inspection, *_ in rows)
    people = names_of(inspection.user_id for _, inspection, *_ in rows)
    return [
        {
            "site": site_name,
            "tag": inspection.tag,
            "device": type_name or "—",
            "room": room_name or "—",
            "item": labels.get((inspection.template_id, result.item_key), result.item_key),
            "reason": result.reason,
            "value": result.value_text
            if result.value_number is None
            else f"{result.value_number:g}",
            "note": result.note or inspection.notes or "",
            "at": inspection.client_time,
            "engineer": people.get(inspection.user_id, "—"),
            "photos": photos.embed(result.photos or inspection.photos),
        }
        for result, inspection, visit, site_name, type_name, room_name in rows
    ]
