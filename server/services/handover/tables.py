"""The record tables of the package: one query each, rows streamed from the database
(yield_per), every instant in China time, every text cell safe against formula injection."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.models import (
    Device,
    DeviceEvent,
    DeviceType,
    Fault,
    FaultStep,
    Inspection,
    InspectionResult,
    PrintJob,
    PrintJobItem,
    RmaRecord,
    Room,
    Site,
    Swap,
    User,
    Visit,
)
from server.periods import Span
from server.services.handover.cells import cell

BATCH = 1000


@dataclass(frozen=True)
class Table:
    name: str  # file name stem: data/<name>.csv and .xlsx
    title_zh: str  # what the README calls it
    query: Callable[[Span], sa.Select]


def _in(column, span: Span):
    return sa.and_(column >= span.start, column < span.end)


def _inspection_results(span: Span) -> sa.Select:
    site = aliased(Site)
    return (
        sa.select(
            Inspection.id.label("inspection_id"),
            Inspection.uuid.label("inspection_uuid"),
            Inspection.visit_id,
            site.code.label("site_code"),
            site.name.label("site_name"),
            Inspection.tag.label("device_tag"),
            DeviceType.name_zh.label("device_type"),
            Inspection.inspection_kind,
            Inspection.outcome.label("inspection_outcome"),
            Inspection.client_time,
            Inspection.server_time,
            User.username.label("engineer"),
            Inspection.lat,
            Inspection.lon,
            Inspection.notes.label("inspection_notes"),
            Inspection.supersedes_uuid,
            InspectionResult.item_key,
            InspectionResult.outcome.label("item_outcome"),
            InspectionResult.reason,
            InspectionResult.value_text,
            InspectionResult.value_number,
            InspectionResult.note.label("item_note"),
            InspectionResult.photos.label("item_photos"),
            Inspection.photos.label("inspection_photos"),
        )
        .join(User, User.id == Inspection.user_id)
        .outerjoin(InspectionResult, InspectionResult.inspection_id == Inspection.id)
        .outerjoin(Device, Device.id == Inspection.device_id)
        .outerjoin(DeviceType, DeviceType.id == Device.type_id)
        .outerjoin(Visit, Visit.id == Inspection.visit_id)
        .outerjoin(site, site.id == Visit.site_id)
        .where(_in(Inspection.client_time, span))
        .order_by(Inspection.id, InspectionResult.id)
    )


def _visits(span: Span) -> sa.Select:
    return (
        sa.select(
            Visit.id,
            Visit.uuid,
            Site.code.label("site_code"),
            Site.name.label("site_name"),
            Visit.inspection_kind,
            Visit.started_at,
            Visit.finished_at,
            Visit.plan_entry_id,
            User.username.label("engineer"),
            Visit.client_time,
            Visit.server_time,
            Visit.clock_skew_seconds,
            Visit.lat,
            Visit.lon,
            Visit.accuracy_m,
            Visit.summary,
        )
        .join(Site, Site.id == Visit.site_id)
        .join(User, User.id == Visit.user_id)
        .where(_in(Visit.started_at, span))
        .order_by(Visit.started_at, Visit.id)
    )


def _faults(span: Span) -> sa.Select:
    return (
        sa.select(
            Fault.id,
            Fault.uuid,
            Site.code.label("site_code"),
            Site.name.label("site_name"),
            Device.tag.label("device_tag"),
            Fault.source,
            Fault.severity,
            Fault.urgent_meeting,
            Fault.state,
            Fault.description,
            Fault.resolution,
            Fault.reported_at,
            Fault.responded_at,
            Fault.diagnosing_at,
            Fault.spare_installed_at,
            Fault.resolved_at,
            Fault.closed_at,
            User.username.label("reported_by"),
            Fault.photos,
        )
        .join(Device, Device.id == Fault.device_id)
        .outerjoin(Site, Site.id == Fault.site_id)
        .join(User, User.id == Fault.user_id)
        .where(_in(Fault.reported_at, span))
        .order_by(Fault.reported_at, Fault.id)
    )


def _fault_steps(span: Span) -> sa.Select:
    return (
        sa.select(
            FaultStep.fault_id,
            FaultStep.step,
            FaultStep.at,
            FaultStep.server_time,
            User.username.label("by"),
            FaultStep.note,
            FaultStep.resolution,
        )
        .join(Fault, Fault.id == FaultStep.fault_id)
        .outerjoin(User, User.id == FaultStep.user_id)
        .where(_in(Fault.reported_at, span))
        .order_by(FaultStep.fault_id, FaultStep.at, FaultStep.id)
    )


def _swaps(span: Span) -> sa.Select:
    faulty, spare = aliased(Device), aliased(Device)
    return (
        sa.select(
            Swap.id,
            Swap.fault_id,
            faulty.tag.label("faulty_tag"),
            spare.tag.label("spare_tag"),
            Room.name.label("room"),
            Swap.better_grade,
            Swap.swapped_at,
            Swap.state,
            Swap.flags,
            Swap.resolved_at,
            Swap.resolution_note,
            User.username.label("engineer"),
        )
        .join(faulty, faulty.id == Swap.faulty_device_id)
        .join(spare, spare.id == Swap.spare_device_id)
        .outerjoin(Room, Room.id == Swap.room_id)
        .join(User, User.id == Swap.user_id)
        .where(_in(Swap.swapped_at, span))
        .order_by(Swap.swapped_at, Swap.id)
    )


def _repairs(span: Span) -> sa.Select:
    return (
        sa.select(
            RmaRecord.id,
            Device.tag.label("device_tag"),
            RmaRecord.swap_id,
            RmaRecord.fault_id,
            RmaRecord.vendor,
            RmaRecord.sent_at,
            RmaRecord.expected_back,
            RmaRecord.returned_at,
            RmaRecord.outcome,
            RmaRecord.old_serial,
            RmaRecord.new_serial,
            RmaRecord.disposition,
            RmaRecord.note,
            RmaRecord.created_at,
        )
        .join(Device, Device.id == RmaRecord.device_id)
        .where(_in(RmaRecord.created_at, span))
        .order_by(RmaRecord.created_at, RmaRecord.id)
    )


def _custody(span: Span) -> sa.Select:
    source, target = aliased(Room), aliased(Room)
    source_site, target_site = aliased(Site), aliased(Site)
    return (
        sa.select(
            DeviceEvent.id,
            Device.tag.label("device_tag"),
            DeviceEvent.at,
            User.username.label("by"),
            source_site.code.label("from_site"),
            source.name.label("from_room"),
            target_site.code.label("to_site"),
            target.name.label("to_room"),
            DeviceEvent.from_status,
            DeviceEvent.to_status,
            DeviceEvent.reason_code,
            DeviceEvent.reason_params,
            DeviceEvent.reason,
        )
        .join(Device, Device.id == DeviceEvent.device_id)
        .outerjoin(User, User.id == DeviceEvent.actor_id)
        .outerjoin(source, source.id == DeviceEvent.from_room_id)
        .outerjoin(source_site, source_site.id == source.site_id)
        .outerjoin(target, target.id == DeviceEvent.to_room_id)
        .outerjoin(target_site, target_site.id == target.site_id)
        .where(_in(DeviceEvent.at, span))
        .order_by(DeviceEvent.at, DeviceEvent.id)
    )


def _labels(span: Span) -> sa.Select:
    return (
        sa.select(
            PrintJob.id.label("print_job"),
            PrintJob.at,
            PrintJob.actor_label.label("by"),
            PrintJob.kind,
            PrintJob.template,
            PrintJob.description,
            PrintJobItem.position,
            Device.tag.label("device_tag"),
            PrintJobItem.tag.label("printed_tag"),
        )
        .join(PrintJobItem, PrintJobItem.job_id == PrintJob.id)
        .join(Device, Device.id == PrintJobItem.device_id)
        .where(_in(PrintJob.at, span), PrintJob.status == "done")  # a failed send printed nothing
        .order_by(PrintJob.id, PrintJobItem.position)
    )


TABLES = (
    Table("inspections", "巡检记录（每个检查项一行，含结果与照片哈希）", _inspection_results),
    Table("visits", "到场记录（巡检到访）", _visits),
    Table("faults", "故障记录（含各时间节点）", _faults),
    Table("fault_steps", "故障处理步骤", _fault_steps),
    Table("swaps", "备件替换记录", _swaps),
    Table("repairs", "返修（RMA）记录", _repairs),
    Table("custody", "设备位置与状态变更（保管链）", _custody),
    Table("labels", "标签打印登记", _labels),
)


def rows(table: Table, span: Span):
    """(column names, an iterator of rows) for one table, streamed in batches."""
    from server.extensions import db

    result = db.session.execute(table.query(span).execution_options(yield_per=BATCH))
    columns = list(result.keys())
    return columns, ([cell(v) for v in row] for row in result)
