"""Hand-over by file (docs/handover-file.md): the signing key the server issues a phone at
sign-in, and each import of a phone's file by the office."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base, utcnow


class PhoneKey(Base):
    """A phone's (phone_id + user) HMAC key, issued at sign-in, revoked with its session.

    The server must recompute the HMAC of a file, so it needs the secret itself: a hash could
    not verify anything. The secret is therefore kept encrypted (wrapped with a key derived from
    the app's SECRET_KEY, services/core/phone_keys.py), so a copy of the database alone cannot
    forge a phone's file; the column is named `secret` so the audit log never shows it.
    """

    __tablename__ = "phone_key"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(sa.String(40), unique=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    phone_id: Mapped[str] = mapped_column(sa.String(64), index=True)
    # The sign-in that got it; ended sessions are deleted a week later, the key row stays.
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("user_session.id", ondelete="SET NULL"), index=True
    )
    secret: Mapped[str] = mapped_column(sa.String(128))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    revoked_at: Mapped[datetime | None]


class SyncImport(Base):
    """One import of a phone's file: whose it was (the key's user), who imported it, the
    answers, and the signed receipt handed back to the phone."""

    __tablename__ = "sync_import"

    id: Mapped[int] = mapped_column(primary_key=True)
    key_id: Mapped[str] = mapped_column(sa.String(40), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    phone_id: Mapped[str] = mapped_column(sa.String(64))
    imported_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    file_name: Mapped[str | None] = mapped_column(sa.String(255))
    file_sha256: Mapped[str] = mapped_column(sa.String(64), index=True)
    exported_at: Mapped[str | None] = mapped_column(sa.String(40))  # the phone's clock, as sent
    records: Mapped[int] = mapped_column(default=0)
    created: Mapped[int] = mapped_column(default=0)
    duplicates: Mapped[int] = mapped_column(default=0)
    conflicts: Mapped[int] = mapped_column(default=0)
    rejected: Mapped[int] = mapped_column(default=0)
    photos: Mapped[int] = mapped_column(default=0)
    receipt: Mapped[str] = mapped_column(sa.Text)
