"""Faults: raise (field or phone call), record steps, close; clocks, breaches and period stats."""

from __future__ import annotations

import uuid as uuidlib
from datetime import datetime, timedelta

import sqlalchemy as sa

from server.errors import Conflict, Forbidden, Invalid, NotFound
from server.extensions import db
from server.models import FAULT_STEPS, Device, Fault, FaultStep, User, utcnow
from server.security import MANAGER_ROLES
from server.services.faults import sla

STEP_RANK = {step: rank for rank, step in enumerate(FAULT_STEPS)}
OPEN_STATES = ("reported", "responded", "diagnosing", "spare_installed")
RECORDABLE_STEPS = ("responded", "diagnosing", "spare_installed", "resolved")
FUTURE_TOLERANCE = timedelta(minutes=5)  # the same skew docs/sync.md tolerates


def current_time() -> datetime:
    """The one place fault services read the clock (tests replace it to freeze time)."""
    return utcnow()


def _not_future(at: datetime, field: str) -> None:
    if at > current_time() + FUTURE_TOLERANCE:
        raise Invalid(
            f"{field} {at.isoformat()} is in the future; check the phone's clock.",
            errors={"json": {field: ["in the future"]}},
        )


def device_for_tag(tag: str, field: str = "tag") -> Device:
    from server.services.core import devices

    try:
        return devices.get_by_tag(tag)
    except NotFound as exc:
        raise Invalid(exc.message, errors={"json": {field: [exc.message]}}) from None


def get_fault(fault_id: int) -> Fault:
    fault = db.session.get(Fault, fault_id)
    if fault is None:
        raise NotFound(f"No fault #{fault_id}.")
    return fault


def fault_by_uuid(value: str) -> Fault | None:
    return db.session.scalar(sa.select(Fault).where(Fault.uuid == value))


def create_fault(
    *,
    tag: str,
    description: str,
    user: User,
    reported_at: datetime,
    severity: str = "major",
    urgent_meeting: bool = False,
    source: str = "field",
    photos: list[str] | None = None,
    uuid: str | None = None,
    client_time: datetime | None = None,
    **where,
) -> Fault:
    """Raise a fault; a phone-call fault (source 'phone') needs a supervisor or admin."""
    if source == "phone" and user.role not in MANAGER_ROLES:
        raise Forbidden("Only a supervisor or admin records a fault reported by phone.")
    device = device_for_tag(tag)
    if device.status == "retired":
        raise Invalid(
            f"Unit {device.tag} is retired; a fault cannot be raised on it.",
            errors={"json": {"tag": ["retired unit"]}},
        )
    _not_future(reported_at, "reported_at")
    if uuid and fault_by_uuid(uuid):
        raise Conflict(f"A fault with uuid {uuid} already exists.")
    now = current_time()
    fault = Fault(
        uuid=uuid or str(uuidlib.uuid4()),
        user_id=user.id,
        client_time=client_time or now,
        # A pushed record's server time is the push's (its receipt's and chain link's).
        server_time=where.pop("server_time", None) or now,
        content_hash=where.pop("content_hash", ""),
        device_id=device.id,
        room_id=device.room_id,
        site_id=device.room.site_id if device.room else None,
        source=source,
        severity=severity,
        urgent_meeting=urgent_meeting,
        description=description,
        photos=list(photos or []),
        state="reported",
        reported_at=reported_at,
        **where,
    )
    db.session.add(fault)
    db.session.flush()
    db.session.add(
        FaultStep(
            fault_id=fault.id,
            fault_uuid=fault.uuid,
            step="reported",
            at=reported_at,
            server_time=now,
            user_id=user.id,
            # No note: the fault's own `source` column says field or phone, and a note is
            # shown as the user wrote it (screens put codes into words, not notes).
            note=None,
        )
    )
    _link_waiting_swaps(fault)
    _apply_waiting_steps(fault)
    db.session.flush()
    return fault


def _link_waiting_swaps(fault: Fault) -> None:
    """Swaps pushed before their fault (offline order) get linked when the fault arrives."""
    from server.models import Swap

    waiting = db.session.scalars(
        sa.select(Swap).where(Swap.fault_uuid == fault.uuid, Swap.fault_id.is_(None))
    ).all()
    for swap in waiting:
        swap.fault_id = fault.id
        if swap.state == "applied":
            _set_step_time(fault, "spare_installed", max(swap.swapped_at, fault.reported_at))


def _set_step_time(fault: Fault, step: str, at: datetime) -> None:
    """Keep the earliest time per step; a later step implies the earlier ones at its time."""
    current = fault.step_time(step)
    if current is None or at < current:
        setattr(fault, f"{step}_at", at)
    for implied in ("responded", "diagnosing"):
        if STEP_RANK[implied] < STEP_RANK[step] and fault.step_time(implied) is None:
            setattr(fault, f"{implied}_at", at)
    reached = [s for s in FAULT_STEPS if fault.step_time(s) is not None]
    fault.state = max(reached, key=STEP_RANK.__getitem__)


def _check_step(step: str, at: datetime, resolution: str | None, known: str | None) -> str | None:
    """Reject what no fault could accept; returns the resolution to keep."""
    if step not in RECORDABLE_STEPS:
        raise Invalid(
            f"'{step}' is not a step one records; use responded, diagnosing, "
            "spare_installed or resolved (closing has its own action).",
            errors={"json": {"step": ["not a recordable step"]}},
        )
    _not_future(at, "at")
    resolution = (resolution or "").strip() or None
    if step == "resolved" and not (resolution or known):
        raise Invalid(
            "A resolved fault needs a resolution: say what fixed it.",
            errors={"json": {"resolution": ["required to resolve"]}},
        )
    return resolution


def add_step(
    fault: Fault,
    step: str,
    at: datetime,
    user: User,
    note: str | None = None,
    resolution: str | None = None,
    uuid: str | None = None,
) -> FaultStep:
    """Record a step; steps may arrive in any order (offline) and the earliest time per step wins."""
    resolution = _check_step(step, at, resolution, fault.resolution)
    if at < fault.reported_at:
        raise Invalid(
            f"The step time {at.isoformat()} is before the fault was reported "
            f"({fault.reported_at.isoformat()}).",
            errors={"json": {"at": ["before the report"]}},
        )
    if step == "resolved" and resolution:
        fault.resolution = resolution
    row = FaultStep(
        uuid=uuid,
        fault_id=fault.id,
        step=step,
        at=at,
        server_time=current_time(),
        user_id=user.id,
        note=note,
        resolution=resolution,
    )
    db.session.add(row)
    _set_step_time(fault, step, at)  # a closed fault stays closed: closed_at is its furthest step
    db.session.flush()
    return row


def add_waiting_step(
    fault_uuid: str,
    step: str,
    at: datetime,
    user: User,
    note: str | None = None,
    resolution: str | None = None,
    uuid: str | None = None,
) -> FaultStep:
    """Keep a step whose fault has not been synced yet; create_fault applies it on arrival."""
    resolution = _check_step(step, at, resolution, None)
    row = FaultStep(
        uuid=uuid,
        fault_uuid=fault_uuid,
        step=step,
        at=at,
        server_time=current_time(),
        user_id=user.id,
        note=note,
        resolution=resolution,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _apply_waiting_steps(fault: Fault) -> None:
    waiting = db.session.scalars(
        sa.select(FaultStep)
        .where(FaultStep.fault_uuid == fault.uuid, FaultStep.fault_id.is_(None))
        .order_by(FaultStep.at)
    ).all()
    for row in waiting:
        row.fault_id = fault.id
        if row.step == "resolved" and row.resolution:
            fault.resolution = row.resolution
        # A phone clock behind the report time must not make a clock run backwards.
        _set_step_time(fault, row.step, max(row.at, fault.reported_at))


def close_fault(
    fault: Fault,
    user: User,
    resolution: str | None = None,
    at: datetime | None = None,
    note: str | None = None,
) -> Fault:
    """Close a fault (supervisor); it must have a resolution, and is resolved now if it was not."""
    if fault.state == "closed":
        raise Conflict(f"Fault #{fault.id} is already closed.")
    resolution = (resolution or "").strip() or fault.resolution
    if not resolution:
        raise Invalid(
            "A fault cannot be closed without a resolution: say what fixed it.",
            errors={"json": {"resolution": ["required to close"]}},
        )
    at = at or current_time()
    if at < fault.reported_at:
        raise Invalid(
            "The closing time is before the fault was reported.",
            errors={"json": {"at": ["before the report"]}},
        )
    if fault.resolved_at is None:
        add_step(fault, "resolved", at, user, note="resolved on closing", resolution=resolution)
    fault.resolution = resolution
    fault.closed_at = at
    fault.state = "closed"
    db.session.add(
        FaultStep(
            fault_id=fault.id,
            step="closed",
            at=at,
            server_time=current_time(),
            user_id=user.id,
            note=note,
        )
    )
    db.session.flush()
    return fault


def times_of(fault: Fault) -> sla.FaultTimes:
    return sla.FaultTimes(
        reported_at=fault.reported_at,
        urgent_meeting=fault.urgent_meeting,
        responded_at=fault.responded_at,
        diagnosing_at=fault.diagnosing_at,
        spare_installed_at=fault.spare_installed_at,
        resolved_at=fault.resolved_at,
    )


def clocks_of(fault: Fault, now: datetime | None = None) -> dict:
    return {
        name: clock.as_dict()
        for name, clock in sla.clocks(times_of(fault), now or current_time()).items()
    }
