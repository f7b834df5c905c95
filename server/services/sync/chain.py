"""The server's evidence chain (docs/evidence.md): every accepted record appended as a link
hashing the previous link, under a lock on the one head row so concurrent pushes queue here
(taken last in a push, after the coverage rows, so it is held only to the commit)."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from server.extensions import db
from server.models import GENESIS_HASH, EvidenceHead, EvidenceLink
from server.periods import iso
from server.services.sync import bulk_insert

HEAD_ID = 1
_HEAD = sa.select(EvidenceHead.seq, EvidenceHead.hash).where(EvidenceHead.id == HEAD_ID)
_INSERT = sa.insert(EvidenceLink.__table__)


def link_hash(prev: str, record_type: str, uuid: str, content_hash: str, server_time) -> str:
    """The hash of one link: its predecessor's hash and what it records, '|'-joined."""
    text = "|".join((prev, record_type, uuid, content_hash, iso(server_time)))
    return hashlib.sha256(text.encode()).hexdigest()


def _lock_head() -> tuple[int, str]:
    """(seq, hash) of the head, locked until commit (FOR UPDATE on PostgreSQL; SQLite writes
    one transaction at a time). A database made without the migration gets its row here."""
    row = db.session.execute(_HEAD.with_for_update()).first()
    if row is None:
        try:
            with db.session.begin_nested():
                db.session.add(EvidenceHead(id=HEAD_ID, seq=0, hash=GENESIS_HASH))
        except IntegrityError:  # another push made it first
            pass
        row = db.session.execute(_HEAD.with_for_update()).first()
    return row.seq, row.hash


def append(items: Iterable) -> None:
    """Append a link per newly stored record (engine Prepared items), in the given order."""
    items = list(items)
    if not items:
        return
    seq, head = _lock_head()
    rows = []
    for item in items:
        meta, found = item.meta, item.extra["canonical"]
        seq += 1
        new = link_hash(head, item.rtype.name, item.uuid, meta.content_hash, meta.server_time)
        rows.append(
            {
                "seq": seq,
                "prev_link_hash": head,
                "hash": new,
                "record_type": item.rtype.name,
                "record_uuid": item.uuid,
                "content_hash": meta.content_hash,
                "server_time": meta.server_time,
                "user_id": meta.user.id,
                "phone_id": found.get("phone_id"),
                "prev_hash": found.get("prev_hash"),
                "payload": found,
            }
        )
        head = new
    _store(rows, seq, head)


def _store(rows: list[dict], seq: int, head: str) -> None:
    """The links and the new head; on PostgreSQL in one statement (the links in a CTE)."""
    if db.engine.dialect.name != "postgresql":
        db.session.execute(_INSERT, rows)
        db.session.execute(
            sa.update(EvidenceHead).where(EvidenceHead.id == HEAD_ID).values(seq=seq, hash=head)
        )
    else:
        bulk_insert.insert_then(
            db.session.connection(),
            EvidenceLink.__table__,
            rows,
            "UPDATE evidence_head SET seq = :head_seq, hash = :head_hash WHERE id = :head_id",
            {"head_seq": seq, "head_hash": head, "head_id": HEAD_ID},
        )


def head_at(moment: datetime) -> tuple[int, str]:
    """(seq, hash) of the chain as it stood at a moment: the link received last before it
    (latest server time, then highest seq; through the server_time index, one row read)."""
    row = db.session.execute(
        sa.select(EvidenceLink.seq, EvidenceLink.hash)
        .where(EvidenceLink.server_time < moment)
        .order_by(EvidenceLink.server_time.desc(), EvidenceLink.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.hash) if row else (0, GENESIS_HASH)


def gap_filter():
    """SQL condition on EvidenceLink: its prev_hash names no record of the same phone and user."""
    previous = sa.orm.aliased(EvidenceLink)
    known = sa.exists().where(
        previous.phone_id == EvidenceLink.phone_id,
        previous.user_id == EvidenceLink.user_id,
        previous.content_hash == EvidenceLink.prev_hash,
    )
    return sa.and_(EvidenceLink.prev_hash.is_not(None), ~known)
