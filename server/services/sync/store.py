"""Storing prepared records with their receipts: the whole batch in one savepoint, else one
record per savepoint, a lost race answered `duplicate` or `conflict` (docs/sync.md)."""

from __future__ import annotations

import contextlib
import logging
import time

import sqlalchemy as sa
from sqlalchemy.exc import DBAPIError, IntegrityError

from server.errors import AppError
from server.extensions import db
from server.models import SyncConflict, SyncReceipt
from server.services.sync import bulk_insert, db_errors
from server.services.sync.prepare import Prepared, rejected
from server.services.sync.registry import RECORD_TYPES, RecordType

log = logging.getLogger(__name__)


_RECEIPTS = sa.select(SyncReceipt.uuid, SyncReceipt.content_hash, SyncReceipt.object_id).where(
    SyncReceipt.uuid.in_(sa.bindparam("uuids", expanding=True))
)


def find_receipts(uuids: list[str]) -> dict:
    """uuid -> (uuid, content_hash, object_id) of the receipts stored for these UUIDs."""
    if not uuids:
        return {}
    return {r.uuid: r for r in db.session.execute(_RECEIPTS, {"uuids": uuids})}


def answer_existing(item: Prepared, receipt) -> dict:
    """A UUID already stored: duplicate when identical, else keep the new version aside."""
    if receipt.content_hash == item.meta.content_hash:
        return {"uuid": item.uuid, "status": "duplicate", "id": receipt.object_id}
    conflict = _keep_conflict(item, receipt)
    return {
        "uuid": item.uuid,
        "status": "conflict",
        "id": receipt.object_id,
        "conflict_id": conflict.id if conflict else None,
        "reason": "This UUID was already stored with different content; the new version "
        "is kept for a supervisor to review and was not applied.",
    }


def _keep_conflict(item: Prepared, receipt) -> SyncConflict | None:
    query = sa.select(SyncConflict).where(
        SyncConflict.uuid == item.uuid, SyncConflict.content_hash == item.meta.content_hash
    )
    if found := db.session.scalar(query):
        return found
    conflict = SyncConflict(
        uuid=item.uuid,
        record_type=item.rtype.name,
        content_hash=item.meta.content_hash,
        user_id=item.meta.user.id,
        payload=item.payload,
        received_at=item.meta.server_time,
    )
    try:
        with db.session.begin_nested():
            db.session.add(conflict)
    except IntegrityError:  # the same conflicting version raced in from another request
        return db.session.scalar(query)
    return conflict


def _receipt_row(item: Prepared) -> dict:
    meta = item.meta
    return {
        "uuid": item.uuid,
        "record_type": item.rtype.name,
        "content_hash": meta.content_hash,
        "user_id": meta.user.id,
        "client_time": meta.client_time,
        "received_by_id": meta.received_by.id if meta.received_by else None,
        "server_time": meta.server_time,
        "clock_skew_seconds": meta.clock_skew_seconds,
        "object_id": item.object_id,
    }


def _created(item: Prepared) -> dict:
    return {"uuid": item.uuid, "status": "created", "id": item.object_id}


def _store_group(rtype: RecordType, items: list[Prepared]) -> None:
    """Store records of one type: all at once with store_many, else one by one with store."""
    if rtype.store_many is not None:
        db.session.flush()
        ids = rtype.store_many([(i.data, i.meta) for i in items])
        for item, object_id in zip(items, ids):
            item.object_id = object_id
        return
    for item in items:
        item.obj = rtype.store(item.data, item.meta)
    db.session.flush()
    for item in items:
        item.object_id = item.obj.id


# RETURNING: many rows per INSERT statement, not one statement per receipt (psycopg).
_INSERT_RECEIPTS = sa.insert(SyncReceipt.__table__).returning(SyncReceipt.__table__.c.id)


def _insert_receipts(rows: list[dict]) -> None:
    if db.engine.dialect.name == "postgresql":  # one short statement over arrays
        bulk_insert.insert(db.session.connection(), SyncReceipt.__table__, rows)
    else:
        db.session.execute(_INSERT_RECEIPTS, rows)


def store_fast(items: list[Prepared], guarded: bool = True) -> bool:
    """Store every new record in one savepoint; False (nothing kept) if anything went wrong.

    guarded=False: the transaction holds nothing but this push's locks and reads, so no
    savepoint (two round trips of a one-record push): a failure rolls it all back, and the
    caller takes its locks again before storing one record at a time."""
    try:
        with db.session.begin_nested() if guarded else contextlib.nullcontext():
            for name, rtype in RECORD_TYPES.items():  # registration order: visits first
                group = [i for i in items if i.rtype.name == name]
                if group:
                    _store_group(rtype, group)
            _insert_receipts([_receipt_row(i) for i in items])
    except (AppError, DBAPIError) as exc:
        log.info("batch fast path fell back to one record at a time: %s", exc)
        if not guarded:
            db.session.rollback()
        for item in items:
            item.obj = item.object_id = None
        forget_batch_caches()
        return False
    for item in items:
        item.answer = _created(item)
    return True


def store_one(item: Prepared, attempts: int = 3) -> None:
    """Store one record in its own savepoint; a lost race answers duplicate or conflict."""
    for attempt in range(attempts):
        try:
            with db.session.begin_nested():
                _store_group(item.rtype, [item])
                db.session.execute(sa.insert(SyncReceipt.__table__), [_receipt_row(item)])
            item.answer = _created(item)
            return
        except AppError as exc:
            forget_batch_caches()
            item.obj = item.object_id = None
            item.answer = rejected(item.uuid, exc.message, exc.errors, code=exc.code_name)
            return
        except IntegrityError:
            forget_batch_caches()
            item.obj = item.object_id = None
            receipt = find_receipts([item.uuid]).get(item.uuid)
            if receipt is not None:
                item.answer = answer_existing(item, receipt)
                return
            item.answer = rejected(
                item.uuid,
                "The record breaks a uniqueness rule of the "
                "database (not its UUID); fix it and resend.",
                code="integrity",
            )
            return
        except DBAPIError as exc:
            forget_batch_caches()
            item.obj = item.object_id = None
            if not db_errors.transient(exc):  # resending cannot help: refuse this record alone
                log.error("push of %s refused by the database: %s", item.uuid, exc.orig)
                item.answer = rejected(item.uuid, *db_errors.refusal(exc))
                return
            log.warning("push of %s failed (attempt %d): %s", item.uuid, attempt + 1, exc.orig)
            time.sleep(0.05 * (attempt + 1))
    item.answer = rejected(
        item.uuid, "The server was too busy to store this record; resend it.", code="busy"
    )


def forget_batch_caches() -> None:
    """Drop per-batch lookups (stores cache rows in session.info) after a rollback."""
    for key in [k for k in db.session.info if k.startswith("sync_")]:
        del db.session.info[key]
