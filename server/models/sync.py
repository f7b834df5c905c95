"""Sync bookkeeping: one receipt per pushed UUID, and conflicting versions kept for review."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow

CONFLICT_STATES = ("open", "dismissed", "accepted")
# A push's (and a hand-over file import's) answer per record (docs/sync.md).
SYNC_ANSWERS = ("created", "duplicate", "conflict", "rejected")


class SyncReceipt(Base):
    """Proof that a record UUID was stored once: its type, content hash and the row it made.

    The unique uuid is what makes a push idempotent and race-free: a second insert of the
    same UUID fails on the constraint, and the loser answers `duplicate` or `conflict`.
    """

    __tablename__ = "sync_receipt"

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    record_type: Mapped[str] = mapped_column(sa.String(32))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    client_time: Mapped[datetime]
    server_time: Mapped[datetime] = mapped_column(default=utcnow)
    clock_skew_seconds: Mapped[int] = mapped_column(default=0)
    object_id: Mapped[int | None]
    # A supervisor who pushed (received) a record another user made; user_id is the maker.
    received_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class SyncConflict(Base):
    """A record whose UUID was already stored with other content; never applied by itself."""

    __tablename__ = "sync_conflict"
    __table_args__ = (
        sa.UniqueConstraint("uuid", "content_hash", name="uq_sync_conflict_uuid_content_hash"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(sa.String(36), index=True)
    record_type: Mapped[str] = mapped_column(sa.String(32))
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    payload: Mapped[dict] = mapped_column(sa.JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    state: Mapped[str] = mapped_column(sa.String(16), default="open", index=True)
    resolved_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(sa.Text)
    accepted_uuid: Mapped[str | None] = mapped_column(sa.String(36))


class SetAside(Base):
    """A record the server refused that its engineer set aside with a reason (docs/sync.md,
    "Set aside"): kept whole for a supervisor, so the phone may drop it without losing it."""

    __tablename__ = "set_aside"

    id: Mapped[int] = mapped_column(primary_key=True)
    # The refused record's UUID: one note per record (a resend of the note is harmless).
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    record_type: Mapped[str] = mapped_column(sa.String(32))
    code: Mapped[str | None] = mapped_column(sa.String(32))
    reason: Mapped[str] = mapped_column(sa.Text)
    # The record as the phone held it (type, client_time, data, photos): nothing is lost.
    record: Mapped[dict] = mapped_column(sa.JSON)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)


class PhoneReport(Base):
    """The last outbox state a phone reported for a user, and the records it lost on the way.

    `uuids` are the records the phone still held unsent (bounded); `lost_uuids` those that a
    later report no longer held although the server never received them (site data cleared)."""

    __tablename__ = "phone_report"
    __table_args__ = (
        sa.UniqueConstraint("phone_id", "user_id", name="uq_phone_report_phone_id_user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    phone_id: Mapped[str] = mapped_column(sa.String(64))
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    waiting: Mapped[int] = mapped_column(default=0)
    oldest_at: Mapped[datetime | None]
    uuids: Mapped[list] = mapped_column(sa.JSON, default=list)
    lost_uuids: Mapped[list] = mapped_column(sa.JSON, default=list)
    reported_at: Mapped[datetime] = mapped_column(default=utcnow)
