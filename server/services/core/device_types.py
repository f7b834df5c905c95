"""Device types: create, edit, retire and delete (the audit log keeps who changed what)."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import Device, DeviceType, SpareThreshold, VisitTarget, utcnow


def get_type(code: str) -> DeviceType:
    found = db.session.scalar(sa.select(DeviceType).where(DeviceType.code == code))
    if found is None:
        raise NotFound(f"No device type with code '{code}'.")
    return found


def create_type(code: str, **fields) -> DeviceType:
    if db.session.scalar(sa.select(DeviceType.id).where(DeviceType.code == code)):
        raise Conflict(
            f"The device type code '{code}' is taken.",
            errors={"json": {"code": ["already taken"]}},
        )
    row = DeviceType(code=code, **fields)
    db.session.add(row)
    db.session.flush()
    return row


def update_type(row: DeviceType, retired: bool | None = None, **fields) -> DeviceType:
    """Edit a type; `retired` true hides it from new devices (kept for history), false undoes it."""
    for key, value in fields.items():
        setattr(row, key, value)
    if retired is not None and retired != (row.retired_at is not None):
        row.retired_at = utcnow() if retired else None
    db.session.flush()
    return row


def units_of(row: DeviceType) -> int:
    """How many units (retired ones too) or inspected targets name the type."""
    devices = db.session.scalar(sa.select(sa.func.count()).where(Device.type_id == row.id))
    targets = db.session.scalar(sa.select(sa.func.count()).where(VisitTarget.type_id == row.id))
    return int(devices or 0) + int(targets or 0)


def delete_type(row: DeviceType) -> None:
    """Delete a type nobody used; a type in use is refused (409 type_in_use): retire it instead."""
    used = units_of(row)
    if used:
        raise Conflict(
            f"Device type '{row.code}' is in use by {used} unit(s) or their records; it cannot "
            "be deleted. Retire it instead (PATCH with retired: true): it is then no longer "
            "offered for new devices and its history stays.",
            code_name="type_in_use",
            errors={"path": {"code": ["in use"]}},
        )
    # Its low-stock threshold is configuration about the type alone: it goes with it.
    for threshold in db.session.scalars(
        sa.select(SpareThreshold).where(SpareThreshold.type_id == row.id)
    ):
        db.session.delete(threshold)  # through the session, so the audit log has it
    db.session.delete(row)
    db.session.flush()
