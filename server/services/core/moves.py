"""Moving a unit: its room and status set and its custody event (DeviceEvent) written in one
explicit call, with the reason, by every service that registers or moves devices.

A flush hook (installed by server/hooks.py) stays as a net: a unit whose room or status changed
without these calls (a test, a one-off script) still gets its event, with no reason, so the
chain of custody never has a hole. Units recorded here are not recorded twice.
"""

from __future__ import annotations

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from server.extensions import db
from server.models import Device, DeviceEvent
from server.services.core import reason_codes
from server.services.core.audit import current_actor

# Why a unit moved: a stable code (reason_codes.custody) or the words a person typed.
Reason = reason_codes.CustodyReason | str | None

_KEEP = object()  # "leave this attribute as it is"
_WRITTEN = "custody_written"  # session.info: id(device) -> (room_id, status) already recorded


def _add_event(
    session: Session, device: Device, old_room, old_status, reason: Reason
) -> DeviceEvent:
    actor_id, _, _ = current_actor()
    row = DeviceEvent(
        device=device,
        actor_id=actor_id,
        from_room_id=old_room,
        to_room_id=device.room_id,
        from_status=old_status,
        to_status=device.status or "in_service",
        **reason_codes.event_columns(reason),
    )
    session.add(row)
    session.info.setdefault(_WRITTEN, {})[id(device)] = (device.room_id, device.status)
    return row


def register(device: Device, reason: Reason = None) -> DeviceEvent:
    """A new unit: add it to the session with its first custody event (from nowhere)."""
    db.session.add(device)
    return _add_event(db.session, device, None, None, reason)


def move(device: Device, reason: Reason, *, room_id=_KEEP, status=_KEEP) -> DeviceEvent | None:
    """Set the unit's room and/or status; write the event when either changed (None if not)."""
    old_room, old_status = device.room_id, device.status
    if room_id is not _KEEP:
        device.room_id = room_id
    if status is not _KEEP:
        device.status = status
    if (device.room_id, device.status) == (old_room, old_status):
        return None
    return _add_event(db.session, device, old_room, old_status, reason)


def _old_and_new(state, key: str, is_new: bool):
    hist = state.attrs[key].history
    if is_new:
        return None, getattr(state.object, key)
    if not hist.has_changes():
        value = getattr(state.object, key)
        return value, value
    return (hist.deleted[0] if hist.deleted else None), getattr(state.object, key)


def _unrecorded(session: Session, device: Device, is_new: bool) -> None:
    """The net: an event for a change no explicit call recorded."""
    written = session.info.get(_WRITTEN, {})
    if written.get(id(device)) == (device.room_id, device.status):
        return
    state = inspect(device)
    old_room, new_room = _old_and_new(state, "room_id", is_new)
    old_status, new_status = _old_and_new(state, "status", is_new)
    if not is_new and old_room == new_room and old_status == new_status:
        return
    _add_event(session, device, old_room, old_status, None)


def _before_flush(session: Session, flush_context, instances) -> None:
    for obj in list(session.new):
        if isinstance(obj, Device):
            _unrecorded(session, obj, is_new=True)
    for obj in list(session.dirty):
        if isinstance(obj, Device):
            _unrecorded(session, obj, is_new=False)
    session.info.pop(_WRITTEN, None)  # flushed: the next changes start afresh


def install_hooks() -> None:
    """Attach the net to every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
