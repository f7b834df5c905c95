"""The `visit` and `inspection` record types the phone pushes (registered with the sync engine),
and the hook that gives an inspection of a tag not yet known its device when it is registered."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.models import Device, Inspection
from server.services.field.data import InspectionData, VisitData
from server.services.field.inspections import store_inspection, store_inspections
from server.services.field.visits import link_visits, store_visit
from server.services.sync.registry import RecordType


def _resolve_new_devices(session: Session, flush_context, instances) -> None:
    """An inspection of a tag not yet known gets its device when the device is registered."""
    new_devices = [obj for obj in session.new if isinstance(obj, Device)]
    session.info.setdefault("field_new_devices", []).extend(new_devices)


def _after_flush(session: Session, flush_context) -> None:
    for device in session.info.pop("field_new_devices", []):
        session.connection().execute(
            sa.update(Inspection)
            .where(Inspection.tag == device.tag, Inspection.device_id.is_(None))
            .values(device_id=device.id)
        )


def install_hooks() -> None:
    if not event.contains(Session, "before_flush", _resolve_new_devices):
        event.listen(Session, "before_flush", _resolve_new_devices)
        event.listen(Session, "after_flush", _after_flush)


TYPES = [
    RecordType(name="visit", schema=VisitData, store=store_visit, after_batch=link_visits),
    RecordType(
        name="inspection",
        schema=InspectionData,
        store=store_inspection,
        store_many=store_inspections,
    ),
]  # registered by record_types.register_all
