"""Office writes to a registered device: edit, move to a room, retire, each refused with the field
named when it breaks a rule (a retired device stays put; a device with an open fault stays in
service; the type stays once inspections were recorded against it)."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import FAULT_STEPS, Device, Fault, Inspection
from server.services.core import moves
from server.services.core.devices import blank_to_none, check_room, check_unique, type_by_code

# A fault is open until it is resolved (faults/lifecycle.py OPEN_STATES; core imports no feature).
OPEN_FAULT_STATES = FAULT_STEPS[: FAULT_STEPS.index("resolved")]


def require_reason(reason: str | None) -> str:
    """The reason kept in the custody history, or a 422 asking for one."""
    text = (reason or "").strip()
    if not text:
        raise Invalid(
            "Say why (the reason is kept in the device's custody history).",
            errors={"json": {"reason": ["required"]}},
            code_name="reason_required",
        )
    return text[:256]


def refuse_if_retired(device: Device, field: str) -> None:
    if device.status == "retired":
        raise Invalid(
            f"Device {device.tag} is retired: it cannot be moved or change status.",
            errors={"json": {field: ["the device is retired"]}},
            code_name="device_retired",
        )


def open_fault_ids(device: Device) -> list[int]:
    query = (
        sa.select(Fault.id)
        .where(Fault.device_id == device.id, Fault.state.in_(OPEN_FAULT_STATES))
        .order_by(Fault.id)
    )
    return list(db.session.scalars(query))


def refuse_if_open_faults(device: Device) -> None:
    """Retiring a unit with an open fault would leave the fault's clock running on nothing."""
    ids = open_fault_ids(device)
    if ids:
        listed = ", ".join(f"#{i}" for i in ids)
        raise Invalid(
            f"Device {device.tag} has {len(ids)} open fault(s) ({listed}); resolve or close "
            "them before retiring it.",
            errors={"json": {"status": [f"open faults: {listed}"]}},
            code_name="open_fault",
        )


def _check_type_change(device: Device, type_code: str) -> int:
    dtype = type_by_code(type_code)
    if dtype.id != device.type_id and db.session.scalar(
        sa.select(Inspection.id).where(Inspection.device_id == device.id).limit(1)
    ):
        # Its inspections were filled in on its type's checklist; a new type would orphan them.
        raise Invalid(
            f"Device {device.tag} has inspections on its type's checklist; its type stays.",
            errors={"json": {"type_code": ["inspections were recorded against this type"]}},
            code_name="type_locked",
        )
    return dtype.id


def update_device(device: Device, reason: str | None = None, **fields) -> Device:
    """Edit serial, notes, install date, type (while no inspection used it), room or status."""
    place = {key: fields.pop(key) for key in ("room_id", "status") if key in fields}
    if "room_id" in place and place["room_id"] != device.room_id:
        refuse_if_retired(device, "room_id")
        check_room(place["room_id"])
    if "status" in place and place["status"] != device.status:
        refuse_if_retired(device, "status")
        if place["status"] == "retired":
            refuse_if_open_faults(device)
    if "serial" in fields:
        fields["serial"] = blank_to_none(fields["serial"])
        check_unique("serial", fields["serial"], exclude_id=device.id)
    if "type_code" in fields:
        fields["type_id"] = _check_type_change(device, fields.pop("type_code"))
    for key, value in fields.items():
        setattr(device, key, value)
    moves.move(device, reason, **place)
    db.session.flush()
    db.session.refresh(device)
    return device


def move_device(device: Device, room_id: int, reason: str | None) -> Device:
    """Move the unit to a room, with the reason in its custody history."""
    refuse_if_retired(device, "room_id")
    check_room(room_id)
    if room_id == device.room_id:
        raise Invalid(
            f"Device {device.tag} is already in room {room_id}.",
            errors={"json": {"room_id": ["the device is already in this room"]}},
            code_name="same_room",
        )
    moves.move(device, require_reason(reason), room_id=room_id)
    db.session.flush()
    db.session.refresh(device)
    return device


def retire_device(device: Device, reason: str | None) -> Device:
    """Retire the unit (it keeps its room and history); refused while a fault on it is open."""
    refuse_if_retired(device, "status")
    refuse_if_open_faults(device)
    moves.move(device, require_reason(reason), status="retired")
    db.session.flush()
    db.session.refresh(device)
    return device
