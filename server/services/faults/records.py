"""Sync record types (fault, fault_step, swap, rma_return) and pack sections (faults, spares, RMAs).

The exact `data` of each record is documented in docs/faults.md for the field app.
"""

from __future__ import annotations

from datetime import date, datetime

import marshmallow as ma
import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import (
    FAULT_SEVERITIES,
    FAULT_SOURCES,
    RMA_OUTCOMES,
    TAG_SOURCES,
    Device,
    DeviceEvent,
    Fault,
    RmaRecord,
)
from server.periods import iso
from server.services.faults import lifecycle as faults
from server.services.faults import rma, swaps
from server.services.sync.limits import INT32
from server.services.sync.registry import PackSection, RecordMeta, RecordType

TEXT = ma.validate.Length(max=4000)
SHA256 = ma.validate.Regexp(r"^[0-9a-f]{64}$", error="not a sha256 hex digest")


class FaultData(ma.Schema):
    tag = ma.fields.String(required=True)
    # How the phone got the tag (docs/evidence.md, Presence); absent from older apps: unknown.
    tag_source = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf(TAG_SOURCES)
    )
    reported_at = ma.fields.AwareDateTime(required=True)
    severity = ma.fields.String(load_default="major", validate=ma.validate.OneOf(FAULT_SEVERITIES))
    urgent_meeting = ma.fields.Boolean(load_default=False)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    photos = ma.fields.List(ma.fields.String(validate=SHA256), load_default=list)
    source = ma.fields.String(load_default="field", validate=ma.validate.OneOf(FAULT_SOURCES))


class FaultStepData(ma.Schema):
    fault_uuid = ma.fields.String(validate=ma.validate.Length(max=36))
    fault_id = ma.fields.Integer(validate=INT32)
    step = ma.fields.String(required=True, validate=ma.validate.OneOf(faults.RECORDABLE_STEPS))
    at = ma.fields.AwareDateTime(required=True)
    note = ma.fields.String(allow_none=True, validate=TEXT)
    resolution = ma.fields.String(allow_none=True, validate=TEXT)


class SwapData(ma.Schema):
    faulty_tag = ma.fields.String(required=True)
    spare_tag = ma.fields.String(required=True)
    faulty_tag_source = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf(TAG_SOURCES)
    )
    spare_tag_source = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.OneOf(TAG_SOURCES)
    )
    swapped_at = ma.fields.AwareDateTime(required=True)
    fault_uuid = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=36))
    fault_id = ma.fields.Integer(allow_none=True, validate=INT32)
    expected_room_id = ma.fields.Integer(allow_none=True, validate=INT32)
    better_grade = ma.fields.Boolean(load_default=False)
    vendor = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))


class RmaReturnData(ma.Schema):
    rma_id = ma.fields.Integer(required=True, validate=INT32)
    outcome = ma.fields.String(required=True, validate=ma.validate.OneOf(RMA_OUTCOMES))
    returned_at = ma.fields.AwareDateTime(required=True)
    disposition = ma.fields.String(
        allow_none=True, validate=ma.validate.OneOf(("swap_back", "keep"))
    )
    new_serial = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    store_room_id = ma.fields.Integer(allow_none=True, validate=INT32)
    note = ma.fields.String(allow_none=True, validate=TEXT)


def _where(meta: RecordMeta) -> dict:
    return {
        "client_time": meta.client_time,
        "server_time": meta.server_time,
        "clock_skew_seconds": meta.clock_skew_seconds,
        "lat": meta.lat,
        "lon": meta.lon,
        "accuracy_m": meta.accuracy_m,
        "app_version": meta.app_version,
        "content_hash": meta.content_hash,
    }


def store_fault(data: dict, meta: RecordMeta) -> Fault:
    return faults.create_fault(user=meta.user, uuid=meta.uuid, **data, **_where(meta))


def store_fault_step(data: dict, meta: RecordMeta):
    """Apply the step to its fault; a step that arrives before its fault waits for it."""
    args = {"note": data.get("note"), "resolution": data.get("resolution"), "uuid": meta.uuid}
    if data.get("fault_id") is not None:
        return faults.add_step(
            faults.get_fault(data["fault_id"]), data["step"], data["at"], meta.user, **args
        )
    if not data.get("fault_uuid"):
        raise Invalid(
            "Say which fault this step belongs to: fault_uuid (or fault_id).",
            errors={"json": {"fault_uuid": ["required"]}},
        )
    fault = faults.fault_by_uuid(data["fault_uuid"])
    if fault is None:
        return faults.add_waiting_step(
            data["fault_uuid"], data["step"], data["at"], meta.user, **args
        )
    return faults.add_step(fault, data["step"], data["at"], meta.user, **args)


def store_swap(data: dict, meta: RecordMeta):
    return swaps.record_swap(user=meta.user, uuid=meta.uuid, **data, **_where(meta))


def store_rma_return(data: dict, meta: RecordMeta):
    record = rma.get_rma(data.pop("rma_id"))
    return rma.return_rma(record, user=meta.user, uuid=meta.uuid, **data)


TYPES = [
    RecordType("fault", FaultData, store_fault),
    RecordType("fault_step", FaultStepData, store_fault_step),
    RecordType("swap", SwapData, store_swap),
    RecordType("rma_return", RmaReturnData, store_rma_return),
]


def _iso(value: datetime | date | None) -> str | None:
    """Instants as UTC with Z (the API's one time format), days as YYYY-MM-DD."""
    if value is None:
        return None
    return iso(value) if isinstance(value, datetime) else value.isoformat()


def dump_fault(fault: Fault) -> dict:
    times = {
        f"{s}_at": _iso(fault.step_time(s))
        for s in ("reported", "responded", "diagnosing", "spare_installed", "resolved", "closed")
    }
    return {
        "id": fault.id,
        "uuid": fault.uuid,
        "tag": fault.device.tag,
        "device_id": fault.device_id,
        "site_id": fault.site_id,
        "room_id": fault.room_id,
        "state": fault.state,
        "severity": fault.severity,
        "urgent_meeting": fault.urgent_meeting,
        "description": fault.description,
        "resolution": fault.resolution,
        **times,
        "assignee_id": fault.assignee_id,  # the phone's Today lists those assigned to its user
        "level": fault.level,  # escalations, shown on the phone's Today
        "tier": fault.tier or "first_line",
    }


def faults_changed(user, since: datetime | None):
    query = sa.select(Fault).order_by(Fault.id)
    if since is None:
        return db.session.scalars(query.where(Fault.state.in_(faults.OPEN_STATES)))
    return db.session.scalars(query.where(Fault.updated_at >= since))


def dump_spare(device: Device) -> dict:
    room = device.room
    return {
        "id": device.id,
        "tag": device.tag,
        "type_code": device.type.code,
        "type_id": device.type_id,
        "room_id": device.room_id,
        "site_code": room.site.code if room else None,
        "site_name": room.site.name if room else None,
    }


def spares_changed(user, since: datetime | None):
    query = sa.select(Device).where(Device.status == "spare").order_by(Device.id)
    return db.session.scalars(query if since is None else query.where(Device.updated_at >= since))


def spares_left(user, since: datetime | None) -> list[int]:
    """Units that left the pool since the cursor (installed, sent away...)."""
    if since is None:
        return []
    left = (
        sa.select(DeviceEvent.device_id)
        .where(DeviceEvent.from_status == "spare", DeviceEvent.at >= since)
        .distinct()
    )
    still = sa.select(Device.id).where(Device.status == "spare")
    return sorted(set(db.session.scalars(left)) - set(db.session.scalars(still)))


def dump_rma(record: RmaRecord) -> dict:
    return {
        "id": record.id,
        "device_id": record.device_id,
        "tag": record.device.tag,
        "swap_id": record.swap_id,
        "fault_id": record.fault_id,
        "vendor": record.vendor,
        "sent_at": _iso(record.sent_at),
        "expected_back": _iso(record.expected_back),
        "returned_at": _iso(record.returned_at),
    }


def rma_changed(user, since: datetime | None):
    query = sa.select(RmaRecord).order_by(RmaRecord.id)
    if since is None:
        return db.session.scalars(query.where(RmaRecord.returned_at.is_(None)))
    return db.session.scalars(query.where(RmaRecord.updated_at >= since))


SECTIONS = [
    PackSection("faults", faults_changed, dump_fault),
    PackSection("spares", spares_changed, dump_spare, spares_left),
    PackSection("rma", rma_changed, dump_rma),
]
