"""Fault assignment: the desk gives a fault to an active engineer; each change is a step."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import Fault, FaultStep, User
from server.services.faults import lifecycle

# Who may be given a fault: the people who go on site (a supervisor assigns, an engineer goes).
ASSIGNABLE_ROLES = ("engineer",)


def engineers() -> list[User]:
    """Active engineers by name, to pick an assignee from."""
    return db.session.scalars(
        sa.select(User)
        .where(User.role.in_(ASSIGNABLE_ROLES), User.active.is_(True))
        .order_by(User.display_name, User.id)
    ).all()


def _assignee(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None or user.role not in ASSIGNABLE_ROLES or not user.active:
        reason = (
            "no such user"
            if user is None
            else ("not active" if not user.active else "not an engineer")
        )
        raise Invalid(
            f"User {user_id} cannot be assigned a fault: {reason}; pick an active engineer.",
            errors={"json": {"user_id": [reason]}},
        )
    return user


def assign(fault: Fault, user_id: int | None, by: User, note: str | None = None) -> Fault:
    """Give the fault to an engineer (None: take it back); a closed fault keeps its assignee."""
    if fault.state == "closed":
        raise Conflict(
            f"Fault #{fault.id} is closed; a closed fault is not assigned.",
            code_name="fault_closed",
        )
    assignee = _assignee(user_id) if user_id is not None else None
    if fault.assignee_id == user_id:
        return fault  # the same choice again: no new step, no audit row
    now = lifecycle.current_time()
    fault.assignee_id = user_id
    fault.assignee = assignee
    db.session.add(
        FaultStep(
            fault_id=fault.id,
            fault_uuid=fault.uuid,
            step="assigned" if user_id is not None else "unassigned",
            at=now,
            server_time=now,
            user_id=by.id,
            assignee_id=user_id,
            note=(note or "").strip() or None,
        )
    )
    db.session.flush()
    db.session.refresh(fault, ["steps"])
    return fault


def assignee_filter(value: str, me: User):
    """The WHERE clause of the `assignee` list filter: a user id, or "me"."""
    return Fault.assignee_id == (me.id if value == "me" else int(value))
