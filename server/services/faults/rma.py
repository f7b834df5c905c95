"""RMA: a faulty unit at the vendor, and what happens when it comes back (swap back or keep)."""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa

from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Device, RmaRecord, Room, Swap, User
from server.services.core import moves
from server.services.core.reason_codes import custody
from server.services.faults import lifecycle as fault_service
from server.services.faults import spares


def _bad(field: str, message: str) -> Invalid:
    return Invalid(message, errors={"json": {field: [message]}})


def get_rma(rma_id: int) -> RmaRecord:
    rma = db.session.get(RmaRecord, rma_id)
    if rma is None:
        raise NotFound(f"No RMA record #{rma_id}.")
    return rma


def open_rma_of(device: Device) -> RmaRecord | None:
    return db.session.scalar(
        sa.select(RmaRecord).where(
            RmaRecord.device_id == device.id, RmaRecord.returned_at.is_(None)
        )
    )


def create_rma(
    *,
    tag: str,
    user: User,
    vendor: str | None = None,
    sent_at: datetime | None = None,
    expected_back: date | None = None,
    note: str | None = None,
    fault_id: int | None = None,
) -> RmaRecord:
    """Send a unit to repair without a swap (no spare put in); it leaves its room."""
    device = fault_service.device_for_tag(tag)
    if device.status == "retired":
        raise _bad("tag", f"Unit {device.tag} is retired; it cannot go to repair.")
    if open_rma_of(device):
        raise Conflict(f"Unit {device.tag} is already at repair (RMA #{open_rma_of(device).id}).")
    if fault_id is not None:
        fault = fault_service.get_fault(fault_id)
        if fault.device_id != device.id:
            raise _bad("fault_id", f"Fault #{fault_id} is not about unit {device.tag}.")
    moves.move(device, custody("rma_sent"), room_id=None, status="in_repair")
    rma = RmaRecord(
        device_id=device.id,
        vendor=vendor,
        sent_at=sent_at,
        expected_back=expected_back,
        note=note,
        fault_id=fault_id,
        created_by_id=user.id,
        old_serial=device.serial,
    )
    db.session.add(rma)
    db.session.flush()
    return rma


def update_rma(rma: RmaRecord, **fields) -> RmaRecord:
    """Fill in the vendor, when it was sent and when it is expected back."""
    if rma.returned_at is not None:
        raise Conflict(f"RMA #{rma.id} is closed: the unit came back on {rma.returned_at.date()}.")
    for key, value in fields.items():
        setattr(rma, key, value)
    db.session.flush()
    return rma


def _pool_room(swap: Swap | None, store_room_id: int | None) -> Room:
    """Where a unit going (back) to the pool is held: as asked, else where the spare came from."""
    chosen = spares.holding_room(store_room_id)
    if chosen is not None:
        return chosen
    origin = (
        db.session.get(Room, swap.spare_from_room_id) if swap and swap.spare_from_room_id else None
    )
    return origin if spares.is_holding_room(origin) else spares.default_store_room()


def return_rma(
    rma: RmaRecord,
    *,
    outcome: str,
    user: User,
    returned_at: datetime,
    disposition: str | None = None,
    new_serial: str | None = None,
    store_room_id: int | None = None,
    note: str | None = None,
    uuid: str | None = None,
) -> RmaRecord:
    """Record the unit's return and act on it: swap back, keep as a spare, or scrap."""
    if rma.returned_at is not None:
        raise Conflict(f"RMA #{rma.id} was already returned on {rma.returned_at.isoformat()}.")
    fault_service._not_future(returned_at, "returned_at")
    device, swap = rma.device, db.session.get(Swap, rma.swap_id) if rma.swap_id else None
    if outcome == "replaced":
        if not new_serial:
            raise _bad(
                "new_serial", "The vendor replaced the unit: give the new unit's serial number."
            )
        taken = db.session.scalar(
            sa.select(Device.tag).where(Device.serial == new_serial, Device.id != device.id)
        )
        if taken:
            raise _bad("new_serial", f"Serial {new_serial} already belongs to unit {taken}.")
    if outcome == "scrapped":
        if disposition:
            raise _bad(
                "disposition",
                "A scrapped unit is neither swapped back nor kept; leave disposition out.",
            )
    elif disposition not in ("swap_back", "keep"):
        raise _bad("disposition", "Say what happens to the returned unit: swap_back or keep.")
    if disposition == "swap_back":
        _swap_back(rma, device, swap, store_room_id)
    elif disposition == "keep":
        moves.move(
            device,
            custody("rma_back_as_spare", rma=rma.id),
            room_id=_pool_room(swap, store_room_id).id,
            status="spare",
        )
    else:
        moves.move(device, custody("rma_scrapped", rma=rma.id), room_id=None, status="retired")
    if outcome == "replaced":
        device.serial = new_serial
    rma.outcome, rma.disposition, rma.new_serial = outcome, disposition, new_serial
    rma.returned_at, rma.returned_by_id, rma.return_uuid = returned_at, user.id, uuid
    if note:
        rma.note = f"{rma.note}\n{note}" if rma.note else note
    db.session.flush()
    return rma


def _swap_back(
    rma: RmaRecord, device: Device, swap: Swap | None, store_room_id: int | None
) -> None:
    """The returned unit goes back into its room; the spare standing there returns to the pool."""
    if swap is None or swap.state != "applied":
        raise _bad(
            "disposition",
            f"RMA #{rma.id} has no swap to undo: no spare took this unit's place. "
            "Use keep, or install the unit with a device edit.",
        )
    spare = swap.spare_device
    if spare.room_id != swap.room_id or spare.status != "in_service":
        raise Conflict(
            f"Spare {spare.tag} is no longer in room {swap.room_id} where swap #{swap.id} put it; "
            "check where it is, then use keep."
        )
    pool = _pool_room(swap, store_room_id)
    moves.move(
        spare, custody("swap_undone", swap=swap.id, rma=rma.id), room_id=pool.id, status="spare"
    )
    moves.move(
        device,
        custody("rma_swapped_back", rma=rma.id),
        room_id=swap.room_id,
        status="in_service",
    )


def list_query(open_only: bool = False):
    query = sa.select(RmaRecord).order_by(RmaRecord.id.desc())
    return query.where(RmaRecord.returned_at.is_(None)) if open_only else query
