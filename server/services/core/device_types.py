"""Device types: create and edit (the audit log keeps who changed what)."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import DeviceType


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


def update_type(row: DeviceType, **fields) -> DeviceType:
    for key, value in fields.items():
        setattr(row, key, value)
    db.session.flush()
    return row
