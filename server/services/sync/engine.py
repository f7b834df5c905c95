"""The sync engine: idempotent push of any registered record type (checks: prepare.py; storing:
store.py; pull: pull.py).

Every pushed record leaves a SyncReceipt keyed by its client UUID (unique). A replay finds the
receipt and answers `duplicate` (same content hash) or `conflict` (other content, kept aside in
SyncConflict for a supervisor); two requests racing on one UUID collide on the unique constraint
and the loser answers the same way. Records are stored inside savepoints so one bad record or a
lost race never sinks the rest of the batch (docs/sync.md).
"""

from __future__ import annotations

import threading
import time
import uuid as uuidlib
from datetime import datetime

import sqlalchemy as sa
from flask import current_app

from server.extensions import db
from server.models import utcnow
from server.observability import metrics
from server.periods import iso
from server.services.core.transactions import begin_write_transaction
from server.services.sync import chain
from server.services.sync.prepare import Prepared, prepare, skew_limit
from server.services.sync.registry import BATCH_FINISHERS, RECORD_TYPES
from server.services.sync.store import (
    answer_existing,
    find_receipts,
    forget_batch_caches,
    store_fast,
    store_one,
)

MAX_BATCH = 200
_sqlite_push_lock = threading.Lock()


def push(
    user,
    records: list,
    sent_at: datetime | None = None,
    now: datetime | None = None,
    fresh: bool = False,
) -> dict:
    """Store a batch of records; one answer per record, in order.

    fresh: the caller's transaction has written nothing (the push view: the request's session
    hooks commit their own writes), so a failed fast path may roll it back whole."""
    if db.engine.dialect.name == "sqlite":
        with _sqlite_push_lock:  # SQLite has one writer; queue here instead of failing busy
            return push_records(user, records, sent_at, now)
    return push_records(user, records, sent_at, now, fresh)


def _related_uuids(item: Prepared) -> list[str]:
    """UUIDs a record points at (the inspection it corrects, the visit it belongs to or
    finishes): locked with its own, so a record and the one it names, pushed at the same
    instant by two requests, are stored one after the other and the later sees the earlier
    (corrections.settle, visit_finish, link_visits)."""
    return [
        str(value)
        for key in ("supersedes", "visit_uuid")
        if (value := (item.data or {}).get(key)) is not None
    ]


def _lock_uuids(uuids: list[str]) -> None:
    """PostgreSQL: take a transaction-level advisory lock per UUID, in one global order.

    Two pushes sharing a UUID then run one after the other for that UUID: the second sees the
    first one's receipt (READ COMMITTED) and answers duplicate, and no pair of overlapping
    batches can deadlock, whatever order their rows are inserted in.
    """
    if db.engine.dialect.name != "postgresql":
        return
    if keys := _lock_keys(uuids):  # one round trip; unnest yields (and locks) keys in order
        db.session.execute(
            sa.text(
                "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"
            ),
            {"keys": keys},
        )


def _lock_keys(uuids: list[str]) -> list[int]:
    return sorted({int.from_bytes(uuidlib.UUID(u).bytes[:8], "big", signed=True) for u in uuids})


# PostgreSQL: the UUID locks (see _lock_uuids) and the receipts in one round trip. The
# statement's snapshot predates the lock, so a receipt a racing push committed while this one
# waited would not be seen: when the statement took longer than a lock taken at once does
# (`waited`, read after the locks), the receipts are read again. (Missing one anyway is
# harmless: storing it breaks the unique receipt, and the one-by-one path reads again.)
_LOCK_AND_RECEIPTS = sa.text(
    "WITH locked AS MATERIALIZED (SELECT count(pg_advisory_xact_lock(k)) AS n "
    "FROM unnest(CAST(:keys AS bigint[])) AS k) "
    "SELECT r.uuid, r.content_hash, r.object_id, "
    "extract(epoch FROM clock_timestamp() - statement_timestamp()) AS waited FROM locked "
    "LEFT JOIN sync_receipt r ON r.uuid = ANY(CAST(:uuids AS varchar[]))"
)  # LEFT JOIN from the one row of `locked`: it is read (the locks taken) even with no receipt
_WAITED_SECONDS = 0.002


def _lock_and_receipts(lock: list[str], uuids: list[str]) -> dict:
    """_lock_uuids(lock) then find_receipts(uuids); one statement on PostgreSQL."""
    keys = _lock_keys(lock)
    if db.engine.dialect.name != "postgresql" or not keys or not uuids:
        _lock_uuids(lock)
        return find_receipts(uuids)
    rows = db.session.execute(_LOCK_AND_RECEIPTS, {"keys": keys, "uuids": uuids}).all()
    if any(r.waited > _WAITED_SECONDS for r in rows):  # another push held a lock: read again
        return find_receipts(uuids)
    return {r.uuid: r for r in rows if r.uuid is not None}


def push_records(
    user,
    records: list,
    sent_at: datetime | None = None,
    now: datetime | None = None,
    fresh: bool = False,
) -> dict:
    """push() without the SQLite queue, for callers already inside a write (conflict review)."""
    begin_write_transaction()  # SQLite: a real BEGIN before the savepoints (core/transactions)
    now = now or utcnow()
    items = [prepare(i, raw, user, now, sent_at) for i, raw in enumerate(records)]
    pending = [i for i in items if i.answer is None]
    locks = [u for i in pending for u in (i.uuid, *_related_uuids(i))]
    receipts = _lock_and_receipts(locks, [i.uuid for i in pending])
    new: list[Prepared] = []
    for item in pending:
        if item.uuid in receipts:
            item.answer = answer_existing(item, receipts[item.uuid])
        else:
            new.append(item)
    new.sort(key=lambda i: i.uuid)
    unique = len({i.uuid for i in new}) == len(new)
    guarded = not (fresh and db.engine.dialect.name == "postgresql") or any(
        i.answer is not None and i.answer["status"] == "conflict" for i in pending
    )  # a conflict kept above is a write to keep
    if new and not (unique and store_fast(new, guarded)):
        if not guarded:  # the rollback released them
            _lock_uuids(locks)
        for item in new:
            receipt = find_receipts([item.uuid]).get(item.uuid)
            if receipt is not None:  # stored earlier in this very batch
                item.answer = answer_existing(item, receipt)
            else:
                store_one(item)
    _run_after_batch([i for i in new if i.obj is not None])
    if not db.session().in_nested_transaction():  # else the commit's hook does it (a savepoint
        # rolled back after it would lose the marks of what the outer transaction wrote)
        for finish in BATCH_FINISHERS.values():
            finish(db.session())
    # Last, after the coverage rows (their per-site locks and four statements), so the one
    # head row stays locked only from here to the commit (docs/evidence.md).
    chain.append(i for i in new if i.answer is not None and i.answer["status"] == "created")
    _pause_for_fault_test(len(new))
    forget_batch_caches()
    answers = []
    for item in items:
        answer = dict(item.answer)
        if item.meta is not None and answer["status"] != "rejected":
            answer["clock_skew_seconds"] = item.meta.clock_skew_seconds
        answers.append(answer)
    metrics.sync_answers(
        db.session, ((i.rtype and i.rtype.name, i.answer["status"]) for i in items)
    )
    skews = [item.meta.clock_skew_seconds for item in items if item.meta is not None]
    skew = round((sent_at - now).total_seconds()) if sent_at else max(skews, key=abs, default=0)
    return {
        "server_time": iso(now),
        "clock_skew_seconds": skew,
        "clock_warning": abs(skew) > skew_limit(),
        "results": answers,
    }


def _run_after_batch(stored: list[Prepared]) -> None:
    by_type: dict[str, list] = {}
    for item in stored:
        by_type.setdefault(item.rtype.name, []).append(item.obj)
    for name, objects in by_type.items():
        if hook := RECORD_TYPES[name].after_batch:
            hook(objects)
    db.session.flush()


def _pause_for_fault_test(count: int) -> None:
    """Fault injection for the kill-mid-batch test: sleep with the batch flushed, not committed.

    Only active when the app config sets SYNC_FAULT_PAUSE_SECONDS (never in production).
    """
    pause = current_app.config.get("SYNC_FAULT_PAUSE_SECONDS")
    if pause and count:
        db.session.flush()
        current_app.logger.warning("fault test: %d records flushed, pausing %s s", count, pause)
        time.sleep(float(pause))
