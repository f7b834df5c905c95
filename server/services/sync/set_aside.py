"""Setting aside a record the server refused: the engineer's way out of a rejection that no
edit can fix (docs/sync.md, "Set aside"). The note keeps the whole record and the reason for a
supervisor; the phone drops the record only once the server holds the note."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import SetAside, SyncReceipt, User


def set_aside(user: User, data: dict) -> tuple[SetAside, bool]:
    """The note for this record (created, or the one already stored: a resend is harmless)."""
    record_uuid = str(data["record_uuid"]).lower()
    if db.session.scalar(sa.select(SyncReceipt.id).where(SyncReceipt.uuid == record_uuid)):
        message = (
            f"The server already stored record {record_uuid}; there is nothing to set aside. "
            "Sync again: the phone will mark it sent."
        )
        raise Invalid(
            message, errors={"json": {"record_uuid": [message]}}, code_name="already_stored"
        )
    existing = db.session.scalar(sa.select(SetAside).where(SetAside.record_uuid == record_uuid))
    if existing is not None:
        return existing, False
    row = SetAside(
        record_uuid=record_uuid,
        record_type=data["record_type"],
        code=data["code"],
        reason=data["reason"].strip(),
        record=data["record"],
        user_id=user.id,
    )
    db.session.add(row)
    db.session.flush()
    return row, True


def set_asides_query():
    """Every note, newest first (the review queue's `set_aside` kind)."""
    return sa.select(SetAside).order_by(SetAside.created_at.desc(), SetAside.id.desc())
