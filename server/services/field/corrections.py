"""Who may correct which inspection (docs/sync.md, "Corrections").

A correction is an inspection whose `supersedes` names an earlier one; a *valid* correction
takes that original out of coverage. It must be of the same device (or unknown tag), in the
same visit when the original has one, and by the original's engineer or a supervisor/admin.
An original already on the server is checked at once (SupersedeForbidden otherwise). A
correction that arrives first is stored `pending`: it claims nothing until its original
arrives and is checked then, becoming `valid`, or `review` (kept for a supervisor, the
original stays counted). So no UUID can be claimed in advance by someone with no right to it.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.errors import AppError
from server.models import Inspection, SyncReceipt, User
from server.security import MANAGER_ROLES

VALID, PENDING, REVIEW = "valid", "pending", "review"
SUPERSEDE_STATES = (VALID, PENDING, REVIEW)
_COLUMNS = ("uuid", "user_id", "device_id", "tag", "visit_uuid", "supersedes_uuid")


class SupersedeForbidden(AppError):
    status_code = 403
    code_name = "supersede_forbidden"


def problem(correction: dict, role: str, original: dict) -> str | None:
    """Why this correction may not supersede that original, or None (both as column dicts)."""
    if correction["user_id"] != original["user_id"] and role not in MANAGER_ROLES:
        return "it was recorded by another engineer; only they or a supervisor may correct it"
    both_known = correction["device_id"] is not None and original["device_id"] is not None
    if (
        correction["device_id"] != original["device_id"]
        if both_known
        else correction["tag"] != original["tag"]
    ):
        return f"it is of another device (tag {original['tag']}); correct the same device"
    if original["visit_uuid"] and correction["visit_uuid"] != original["visit_uuid"]:
        return (
            f"it belongs to visit {original['visit_uuid']}; a correction names the visit "
            "of the inspection it corrects"
        )
    return None


def check(session, rows: list[dict], roles: list[str]) -> None:
    """Give each new inspection row its supersede_state, before it is inserted.

    Raises SupersedeForbidden when a correction's original is already known (stored, or
    among these rows) and the correction breaks the rule; nothing is added then.
    """
    wanted = {row["supersedes_uuid"] for row in rows if row["supersedes_uuid"]}
    originals = _stored(session, Inspection.uuid.in_(wanted)) if wanted else {}
    originals.update({row["uuid"]: row for row in rows if row["uuid"] in wanted})
    for row, role in zip(rows, roles):
        row["supersede_state"] = None
        if not row["supersedes_uuid"]:
            continue
        original = originals.get(row["supersedes_uuid"])
        if original is None:
            row["supersede_state"] = PENDING
        elif reason := problem(row, role, original):
            message = f"This correction may not supersede inspection {original['uuid']}: {reason}."
            raise SupersedeForbidden(message, errors={"data": {"supersedes": [message]}})
        else:
            row["supersede_state"] = VALID


def waiting_query(*extra) -> sa.Select:
    """Pending corrections already stored that name one of the inspections of the "uuids"
    parameter, in the (kind, key, id, -, -, *extra) shape of field/inspections.py's lookup,
    which sends it with its own."""
    return sa.select(
        sa.literal("waiting"),
        Inspection.uuid,
        Inspection.id,
        sa.cast(sa.null(), sa.Integer),
        sa.cast(sa.null(), sa.String),
        *extra,
    ).where(
        Inspection.supersede_state == PENDING,
        Inspection.supersedes_uuid.in_(sa.bindparam("uuids", expanding=True)),
    )


def settle(session, rows: list[dict], waiting: bool = True) -> None:
    """After inserting rows: judge the pending corrections they complete (originals that
    arrived now, or corrections here whose original another push stored meanwhile).

    waiting=False: the caller read, after the UUID locks, that no stored correction names
    these rows; then only a correction and its original both among the rows can settle (the
    lock on a correction's original keeps other pushes from storing it meanwhile)."""
    uuids = [row["uuid"] for row in rows]
    if not waiting:
        inserted = set(uuids)
        if not any(
            row.get("supersede_state") == PENDING and row["supersedes_uuid"] in inserted
            for row in rows
        ):
            return
    waiting = sa.or_(
        Inspection.supersedes_uuid.in_(uuids),
        Inspection.uuid.in_([row["uuid"] for row in rows if row.get("supersede_state") == PENDING]),
    )
    # Who pushed it: the supervisor who received it if one did (as check() judges), else its maker.
    receiver = aliased(User)
    pusher = sa.func.coalesce(receiver.role, User.role).label("role")
    query = (
        sa.select(*(getattr(Inspection, c) for c in _COLUMNS), Inspection.id, pusher)
        .join(User, User.id == Inspection.user_id)
        .outerjoin(SyncReceipt, SyncReceipt.uuid == Inspection.uuid)
        .outerjoin(receiver, receiver.id == SyncReceipt.received_by_id)
        .where(Inspection.supersede_state == PENDING, waiting)
    )
    corrections = [dict(row._mapping) for row in session.execute(query)]
    if not corrections:
        return
    originals = _stored(session, Inspection.uuid.in_({c["supersedes_uuid"] for c in corrections}))
    verdicts: dict[str, list[int]] = {VALID: [], REVIEW: []}
    for correction in corrections:
        if (original := originals.get(correction["supersedes_uuid"])) is not None:
            verdict = REVIEW if problem(correction, correction["role"], original) else VALID
            verdicts[verdict].append(correction["id"])
    for state, ids in verdicts.items():
        if ids:
            session.execute(
                sa.update(Inspection).where(Inspection.id.in_(ids)).values(supersede_state=state)
            )


def _stored(session, where) -> dict[str, dict]:
    query = sa.select(*(getattr(Inspection, c) for c in _COLUMNS)).where(where)
    return {row.uuid: dict(row._mapping) for row in session.execute(query)}
