"""On-site swaps: the spare takes the faulty unit's room, the faulty unit goes to repair.

Bad input is rejected (nothing written). A swap the server's state no longer allows
(the spare was installed elsewhere, the faulty unit was already moved) is stored as
`flagged` with the reason, devices untouched, for a supervisor to apply or dismiss.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime

import sqlalchemy as sa

from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Device, DeviceEvent, Fault, RmaRecord, Room, Swap, User
from server.services.core import moves
from server.services.core.reason_codes import custody, flag
from server.services.faults import lifecycle as fault_service
from server.services.faults import spares


def _bad(field: str, message: str) -> Invalid:
    return Invalid(message, errors={"json": {field: [message]}})


def _check_pair(faulty: Device, spare: Device, better_grade: bool) -> None:
    """Rules that make a swap wrong whatever the server's state: reject."""
    if faulty.id == spare.id:
        raise _bad(
            "spare_tag",
            f"{spare.tag} was scanned twice: a unit cannot be swapped with itself; "
            "scan the faulty unit, then the spare.",
        )
    for field, device in (("faulty_tag", faulty), ("spare_tag", spare)):
        if device.status == "retired":
            raise _bad(field, f"Unit {device.tag} is retired and cannot take part in a swap.")
    if spare.type_id != faulty.type_id:
        same_kind = spare.type.kind == faulty.type.kind
        if not (better_grade and same_kind):
            hint = (
                " If it is a better-grade unit of the same kind, set better_grade."
                if same_kind
                else ""
            )
            raise _bad(
                "spare_tag",
                f"Spare {spare.tag} is a {spare.type.code} ({spare.type.name_en}), "
                f"the faulty unit a {faulty.type.code} ({faulty.type.name_en}); "
                f"a spare must be the same type.{hint}",
            )


def _was_installed_by_swap(spare: Device) -> Swap | None:
    return db.session.scalar(
        sa.select(Swap)
        .where(Swap.spare_device_id == spare.id, Swap.state == "applied")
        .order_by(Swap.id.desc())
    )


def _was_ever(device: Device, status: str) -> bool:
    return bool(
        db.session.scalar(
            sa.select(DeviceEvent.id)
            .where(
                DeviceEvent.device_id == device.id,
                sa.or_(DeviceEvent.to_status == status, DeviceEvent.from_status == status),
            )
            .limit(1)
        )
    )


def _was_ever_in_a_room(device: Device) -> bool:
    return bool(
        db.session.scalar(
            sa.select(DeviceEvent.id)
            .where(DeviceEvent.device_id == device.id, DeviceEvent.to_room_id.is_not(None))
            .limit(1)
        )
    )


def _spare_conflict(spare: Device) -> dict | None:
    """Why the spare can no longer be installed (None: it can); rejects tags that never were spares."""
    if spare.status == "spare":
        return None
    if _was_ever(spare, "spare"):
        earlier = _was_installed_by_swap(spare)
        room = spare.room
        return flag(
            "spare_not_in_pool",
            spare_tag=spare.tag,
            site=room.site.name if room else None,
            room=room.name if room else None,
            swap=earlier.id if earlier else None,
        )
    raise _bad(
        "spare_tag",
        f"{spare.tag} is not a spare (its status is {spare.status}); "
        "scan a unit from the spare pool.",
    )


def _faulty_conflict(faulty: Device, expected_room_id: int | None) -> dict | None:
    """Why the faulty unit can no longer be swapped out (None: it can)."""
    if faulty.room_id is not None and spares.is_holding_room(faulty.room):
        raise _bad(
            "faulty_tag",
            f"{faulty.tag} is in the spare pool, not installed; scan the faulty "
            "unit standing in the room first.",
        )
    if faulty.room_id is None:
        if not _was_ever_in_a_room(faulty):
            raise _bad("faulty_tag", f"{faulty.tag} is not installed in any room.")
        return flag("faulty_moved_out", faulty_tag=faulty.tag, status=faulty.status)
    if expected_room_id is not None and faulty.room_id != expected_room_id:
        return flag(
            "faulty_in_other_room",
            faulty_tag=faulty.tag,
            room=faulty.room_id,
            expected_room=expected_room_id,
        )
    return None


def _check_room(room_id: int | None) -> None:
    """The room the phone saw the faulty unit in must exist (else a database error, not a reason)."""
    if room_id is not None and db.session.get(Room, room_id) is None:
        raise _bad(
            "expected_room_id",
            f"Room {room_id} does not exist on the server. Pull the "
            "field pack again and rescan the faulty unit, or leave "
            "expected_room_id out to use the unit's room on the server.",
        )


def _fault_for(fault_id: int | None, fault_uuid: str | None, faulty: Device) -> Fault | None:
    fault = None
    if fault_id is not None:
        fault = db.session.get(Fault, fault_id)
        if fault is None:
            raise _bad("fault_id", f"No fault #{fault_id}.")
    elif fault_uuid:
        fault = fault_service.fault_by_uuid(fault_uuid)
    if fault is not None and fault.device_id != faulty.id:
        raise _bad(
            "fault_id", f"Fault #{fault.id} is about unit {fault.device.tag}, not {faulty.tag}."
        )
    return fault


def record_swap(
    *,
    faulty_tag: str,
    spare_tag: str,
    user: User,
    swapped_at: datetime,
    fault_id: int | None = None,
    fault_uuid: str | None = None,
    expected_room_id: int | None = None,
    better_grade: bool = False,
    vendor: str | None = None,
    uuid: str | None = None,
    client_time: datetime | None = None,
    **where,
) -> Swap:
    """Check, then apply the swap or store it flagged; returns the Swap."""
    faulty = fault_service.device_for_tag(faulty_tag, "faulty_tag")
    spare = fault_service.device_for_tag(spare_tag, "spare_tag")
    _check_pair(faulty, spare, better_grade)
    _check_room(expected_room_id)
    fault = _fault_for(fault_id, fault_uuid, faulty)
    if fault is not None and swapped_at < fault.reported_at:
        raise _bad("swapped_at", "The swap time is before the fault was reported.")
    fault_service._not_future(swapped_at, "swapped_at")
    reasons = [r for r in (_spare_conflict(spare), _faulty_conflict(faulty, expected_room_id)) if r]
    now = fault_service.current_time()
    swap = Swap(
        uuid=uuid or str(uuidlib.uuid4()),
        user_id=user.id,
        client_time=client_time or now,
        # A pushed record's server time is the push's (its receipt's and chain link's).
        server_time=where.pop("server_time", None) or now,
        content_hash=where.pop("content_hash", ""),
        fault_id=fault.id if fault else None,
        fault_uuid=fault.uuid if fault else fault_uuid,
        faulty_device_id=faulty.id,
        spare_device_id=spare.id,
        room_id=expected_room_id or faulty.room_id,
        better_grade=better_grade,
        swapped_at=swapped_at,
        state="flagged" if reasons else "applied",
        flags=reasons or None,
        **where,
    )
    db.session.add(swap)
    db.session.flush()
    if not reasons:
        _apply(swap, faulty, spare, fault, user, vendor)
    return swap


def _apply(
    swap: Swap,
    faulty: Device,
    spare: Device,
    fault: Fault | None,
    user: User,
    vendor: str | None = None,
) -> None:
    """Move the units (each move writes its custody event) and open the RMA."""
    label = f"swap #{swap.id}" + (f" for fault #{fault.id}" if fault else "")
    fault_id = fault.id if fault else None
    swap.spare_from_room_id = spare.room_id
    moves.move(
        spare,
        custody("spare_installed", swap=swap.id, fault=fault_id),
        room_id=swap.room_id,
        status="in_service",
    )
    if faulty.room_id == swap.room_id:
        moves.move(
            faulty,
            custody("sent_to_repair", swap=swap.id, fault=fault_id),
            room_id=None,
            status="in_repair",
        )
        db.session.add(
            RmaRecord(
                device_id=faulty.id,
                swap_id=swap.id,
                vendor=vendor,
                fault_id=fault.id if fault else None,
                created_by_id=user.id,
                old_serial=faulty.serial,
            )
        )
    if fault is not None:
        fault_service.add_step(fault, "spare_installed", swap.swapped_at, user, note=label)
    db.session.flush()


def get_swap(swap_id: int) -> Swap:
    swap = db.session.get(Swap, swap_id)
    if swap is None:
        raise NotFound(f"No swap #{swap_id}.")
    return swap


def resolve_flagged(swap: Swap, action: str, user: User, note: str | None = None) -> Swap:
    """A supervisor's decision on a flagged swap: apply it as scanned, or dismiss it (kept on record)."""
    if swap.state != "flagged":
        raise Conflict(f"Swap #{swap.id} is {swap.state}, not flagged; nothing to resolve.")
    if action == "apply":
        faulty, spare = swap.faulty_device, swap.spare_device
        _check_pair(faulty, spare, swap.better_grade)
        if swap.room_id is None or db.session.get(Room, swap.room_id) is None:
            raise Conflict(
                f"Swap #{swap.id} has no room to install the spare in; dismiss it instead."
            )
        fault = db.session.get(Fault, swap.fault_id) if swap.fault_id else None
        _apply(swap, faulty, spare, fault, user)
    swap.state = "applied" if action == "apply" else "dismissed"
    swap.resolved_by_id, swap.resolved_at = user.id, fault_service.current_time()
    swap.resolution_note = note
    db.session.flush()
    return swap


def list_query(state: str | None = None):
    query = sa.select(Swap).order_by(Swap.id.desc())
    return query.where(Swap.state == state) if state else query
