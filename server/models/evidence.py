"""The evidence chain: an append-only, hash-linked log of every record the server accepted."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base

GENESIS_HASH = "0" * 64


class EvidenceHead(Base):
    """The chain's one head row (id 1): locked by every push that appends, so the links of
    concurrent pushes follow one another (services/sync/chain.py)."""

    __tablename__ = "evidence_head"

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(default=0)
    hash: Mapped[str] = mapped_column(sa.String(64), default=GENESIS_HASH)


class EvidenceLink(Base):
    """One accepted record: hash = SHA-256 of (previous link hash, type, uuid, content hash,
    server time). `payload` is what the content hash covers, so the record is re-checkable;
    `phone_id`/`prev_hash` are the phone's own chain (the content hash of its previous record);
    a prev_hash no link of the same phone and user has is a gap, found when read (records may
    arrive out of order: the gap closes by itself when the missing record comes)."""

    __tablename__ = "evidence_link"
    __table_args__ = (
        sa.Index("ix_evidence_link_phone_chain", "phone_id", "user_id", "content_hash"),
    )

    seq: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    prev_link_hash: Mapped[str] = mapped_column(sa.String(64))
    hash: Mapped[str] = mapped_column(sa.String(64))
    record_type: Mapped[str] = mapped_column(sa.String(32))
    record_uuid: Mapped[str] = mapped_column(sa.String(36), unique=True)
    content_hash: Mapped[str] = mapped_column(sa.String(64))
    server_time: Mapped[datetime] = mapped_column(index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    phone_id: Mapped[str | None] = mapped_column(sa.String(64))
    prev_hash: Mapped[str | None] = mapped_column(sa.String(64))
    payload: Mapped[dict] = mapped_column(sa.JSON)
