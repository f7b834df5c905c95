"""Escalation: the desk raises a fault's level or hands it to the next tier, with a reason; each
escalation is an `escalated` step (who, when, the new level and tier), moving no clock."""

from __future__ import annotations

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import FAULT_TIERS, Fault, FaultStep, User
from server.services.faults import lifecycle

UNGRADED = 3  # a fault with no level ranks below level 2


def _check_level(fault: Fault, level: int) -> None:
    if level >= (fault.level or UNGRADED):
        raise Invalid(
            f"Fault #{fault.id} is already level {fault.level}; an escalation raises the level "
            "(level 1 is the most urgent).",
            errors={"json": {"level": ["not higher than now"]}},
            code_name="level_not_higher",
        )


def _check_tier(fault: Fault, tier: str) -> None:
    if FAULT_TIERS.index(tier) <= FAULT_TIERS.index(fault.tier or FAULT_TIERS[0]):
        raise Invalid(
            f"Fault #{fault.id} is with {fault.tier} already; hand it to a later tier "
            f"({', '.join(FAULT_TIERS)}).",
            errors={"json": {"tier": ["not a later tier"]}},
            code_name="tier_not_later",
        )


def escalate(
    fault: Fault, by: User, reason: str, level: int | None = None, tier: str | None = None
) -> Fault:
    """Raise the level and/or hand to a later tier; the reason is the step's note."""
    if fault.state == "closed":
        raise Conflict(
            f"Fault #{fault.id} is closed; a closed fault is not escalated.",
            code_name="fault_closed",
        )
    reason = (reason or "").strip()
    if not reason:
        raise Invalid(
            "Say why the fault is escalated.",
            errors={"json": {"reason": ["required"]}},
            code_name="reason_required",
        )
    if level is None and tier is None:
        raise Invalid(
            "Give a new level, a new tier, or both.",
            errors={"json": {"level": ["level or tier required"]}},
            code_name="escalate_nothing",
        )
    if level is not None:
        _check_level(fault, level)
    if tier is not None:
        _check_tier(fault, tier)
    now = lifecycle.current_time()
    fault.level = level if level is not None else fault.level
    fault.tier = tier or fault.tier
    db.session.add(
        FaultStep(
            fault_id=fault.id,
            fault_uuid=fault.uuid,
            step="escalated",
            at=now,
            server_time=now,
            user_id=by.id,
            level=level,
            tier=tier,
            note=reason,
        )
    )
    db.session.flush()
    db.session.refresh(fault, ["steps"])
    return fault
