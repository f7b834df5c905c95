"""Conflicts: versions of an already stored UUID kept aside, and how a supervisor closes them."""

from __future__ import annotations

import uuid as uuidlib

import sqlalchemy as sa

from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import SyncConflict, SyncReceipt, User, utcnow
from server.services.sync.engine import push_records
from server.services.sync.registry import RECORD_TYPES


def conflicts_query(state: str | None = None):
    query = sa.select(SyncConflict).order_by(SyncConflict.id.desc())
    return query.where(SyncConflict.state == state) if state else query


def get_conflict(conflict_id: int) -> SyncConflict:
    conflict = db.session.get(SyncConflict, conflict_id)
    if conflict is None:
        raise NotFound(f"No sync conflict {conflict_id}.")
    return conflict


def original_of(conflict: SyncConflict) -> SyncReceipt | None:
    return db.session.scalar(sa.select(SyncReceipt).where(SyncReceipt.uuid == conflict.uuid))


def resolve_conflict(
    conflict: SyncConflict, resolver, resolution: str, note: str | None = None
) -> SyncConflict:
    """Close a conflict: `dismissed` keeps the original only; `accepted` stores the kept
    version as a new record (new UUID) that supersedes the original where the type allows."""
    if conflict.state != "open":
        raise Conflict(f"Conflict {conflict.id} is already {conflict.state}.")
    note = (note or "").strip() or None
    if resolution == "dismissed" and note is None:
        # Dropping what an engineer recorded must say why (the audit log keeps the note).
        raise Invalid(
            "A dismissal needs a reason.",
            errors={"json": {"note": ["A dismissal needs a reason."]}},
            code_name="reason_required",
        )
    if resolution == "accepted":
        new_uuid = str(uuidlib.uuid5(uuidlib.NAMESPACE_URL, f"xunjian-conflict-{conflict.id}"))
        record = dict(conflict.payload, uuid=new_uuid)
        data = dict(record.get("data") or {})
        if "supersedes" in RECORD_TYPES[conflict.record_type].schema().fields:
            data["supersedes"] = conflict.uuid
        record["data"] = data
        # The engineer who recorded it stays the author; the resolver is kept as receiver.
        record["made_by"] = db.session.get(User, conflict.user_id).username
        answer = push_records(resolver, [record])["results"][0]
        if answer["status"] not in ("created", "duplicate"):
            raise Invalid(
                f"The kept version cannot be stored: {answer.get('reason')}",
                errors=answer.get("errors"),
            )
        conflict.accepted_uuid = new_uuid
    conflict.state = resolution
    conflict.resolved_by_id = resolver.id
    conflict.resolved_at = utcnow()
    conflict.resolution_note = note
    db.session.flush()
    return conflict
