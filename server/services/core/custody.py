"""Chain of custody: every room and status a unit had, and every unit that stood in a room."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import NotFound
from server.extensions import db
from server.models import Device, DeviceEvent, Fault, RmaRecord, Room, User


def _room_label(room: Room | None) -> dict | None:
    if room is None:
        return None
    return {
        "id": room.id,
        "name": room.name,
        "kind": room.kind,
        "site_code": room.site.code,
        "site_name": room.site.name,
        "site_tier": room.site.tier,
    }


def _actor(user_id: int | None) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return user and {"id": user.id, "username": user.username, "display_name": user.display_name}


def device_custody(device: Device) -> list[dict]:
    """The unit's events, oldest first, with room, site and actor names."""
    events = db.session.scalars(
        sa.select(DeviceEvent)
        .where(DeviceEvent.device_id == device.id)
        .order_by(DeviceEvent.at, DeviceEvent.id)
    )
    return [
        {
            "id": e.id,
            "at": e.at.isoformat(),
            "actor": _actor(e.actor_id),
            "from_room": _room_label(
                db.session.get(Room, e.from_room_id) if e.from_room_id else None
            ),
            "to_room": _room_label(db.session.get(Room, e.to_room_id) if e.to_room_id else None),
            "from_status": e.from_status,
            "to_status": e.to_status,
            "reason": e.reason,
            "reason_code": e.reason_code,
            "reason_params": e.reason_params,
        }
        for e in events
    ]


def room_custody(room_id: int) -> dict:
    """Every stay of a unit in the room: from when (and who put it), until when (and who took it)."""
    room = db.session.get(Room, room_id)
    if room is None:
        raise NotFound(f"No room {room_id}.")
    events = db.session.scalars(
        sa.select(DeviceEvent)
        .where(sa.or_(DeviceEvent.to_room_id == room_id, DeviceEvent.from_room_id == room_id))
        .order_by(DeviceEvent.at, DeviceEvent.id)
    ).all()
    open_stays: dict[int, dict] = {}
    stays: list[dict] = []
    for event in events:
        moved_in = event.to_room_id == room_id and event.from_room_id != room_id
        moved_out = event.from_room_id == room_id and event.to_room_id != room_id
        if moved_out and event.device_id in open_stays:
            stay = open_stays.pop(event.device_id)
            stay.update(
                until=event.at.isoformat(),
                removed_by=_actor(event.actor_id),
                removed_reason=event.reason,
                removed_reason_code=event.reason_code,
                removed_reason_params=event.reason_params,
                left_as=event.to_status,
            )
        if moved_in:
            stay = _stay(event)
            open_stays[event.device_id] = stay
            stays.append(stay)
    return {
        "room": _room_label(room),
        "stays": stays,
        "present": [s["tag"] for s in stays if s["until"] is None],
    }


def _stay(event: DeviceEvent) -> dict:
    device = db.session.get(Device, event.device_id)
    return {
        "device_id": device.id,
        "tag": device.tag,
        "type_code": device.type.code,
        "since": event.at.isoformat(),
        "placed_by": _actor(event.actor_id),
        "placed_reason": event.reason,
        "placed_reason_code": event.reason_code,
        "placed_reason_params": event.reason_params,
        "status_on_arrival": event.to_status,
        "until": None,
        "removed_by": None,
        "removed_reason": None,
        "removed_reason_code": None,
        "removed_reason_params": None,
        "left_as": None,
    }


def device_faults(device: Device) -> list[dict]:
    rows = db.session.scalars(
        sa.select(Fault).where(Fault.device_id == device.id).order_by(Fault.reported_at)
    )
    return [
        {
            "id": f.id,
            "state": f.state,
            "severity": f.severity,
            "reported_at": f.reported_at.isoformat(),
            "resolved_at": f.resolved_at.isoformat() if f.resolved_at else None,
            "resolution": f.resolution,
        }
        for f in rows
    ]


def device_repairs(device: Device) -> list[dict]:
    rows = db.session.scalars(
        sa.select(RmaRecord).where(RmaRecord.device_id == device.id).order_by(RmaRecord.id)
    )
    return [
        {
            "id": r.id,
            "vendor": r.vendor,
            "swap_id": r.swap_id,
            "fault_id": r.fault_id,
            "sent_at": r.sent_at.isoformat() if r.sent_at else None,
            "returned_at": r.returned_at.isoformat() if r.returned_at else None,
            "outcome": r.outcome,
            "old_serial": r.old_serial,
            "new_serial": r.new_serial,
            "disposition": r.disposition,
        }
        for r in rows
    ]
