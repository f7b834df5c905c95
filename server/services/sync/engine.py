"""The sync engine: idempotent push of any registered record type (pull: sync_pull.py).

Every pushed record leaves a SyncReceipt keyed by its client UUID (unique). A replay finds the
receipt and answers `duplicate` (same content hash) or `conflict` (other content, kept aside in
SyncConflict for a supervisor); two requests racing on one UUID collide on the unique constraint
and the loser answers the same way. Records are stored inside savepoints so one bad record or a
lost race never sinks the rest of the batch (docs/sync.md).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid as uuidlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma
import sqlalchemy as sa
from flask import current_app
from sqlalchemy.exc import DBAPIError, IntegrityError

from server.errors import AppError
from server.extensions import db
from server.models import SyncConflict, SyncReceipt, utcnow
from server.periods import iso
from server.services.sync import db_errors
from server.services.sync import limits as sync_limits
from server.services.sync import makers as sync_makers
from server.services.sync.envelope import ENVELOPE, content_hash, fast_envelope
from server.services.sync.registry import RECORD_TYPES, RecordMeta, RecordType

log = logging.getLogger(__name__)
MAX_BATCH = 200
_sqlite_push_lock = threading.Lock()


_SCHEMAS: dict[type, ma.Schema] = {}


def _schema(schema_class: type[ma.Schema]) -> ma.Schema:
    """One instance per schema class: building a schema deep-copies its fields (slow)."""
    if schema_class not in _SCHEMAS:
        _SCHEMAS[schema_class] = schema_class()
    return _SCHEMAS[schema_class]


@dataclass
class Prepared:
    """One record of a batch on its way through the engine."""

    index: int
    uuid: str | None = None
    rtype: RecordType | None = None
    data: dict | None = None
    meta: RecordMeta | None = None
    payload: dict | None = None
    answer: dict | None = None
    obj: Any = None
    object_id: int | None = None
    extra: dict = field(default_factory=dict)


class Busy(AppError):
    """The database could not take the batch now; the client resends it later."""

    status_code = 503
    code_name = "busy"


def _rejected(
    uuid: str | None, message: str, errors: dict | None = None, code: str = "invalid"
) -> dict:
    answer = {"uuid": uuid, "status": "rejected", "code": code, "reason": message}
    if errors:
        answer["errors"] = errors
    return answer


def clock_skew(sent_at: datetime | None, client_time: datetime, now: datetime) -> int:
    """Phone clock minus server clock, in seconds.

    Measured from the batch's sent_at (phone clock when sending). Without it, only a record
    made in the future betrays the phone's clock; an old client_time is just offline work.
    """
    if sent_at is not None:
        return round((sent_at - now).total_seconds())
    ahead = round((client_time - now).total_seconds())
    return ahead if ahead > _skew_limit() else 0


def _skew_limit() -> int:
    return current_app.config.get("CLOCK_SKEW_LIMIT_SECONDS", 300)


def _prepare(index: int, raw: Any, user, now: datetime, sent_at: datetime | None) -> Prepared:
    item = Prepared(index)
    if not isinstance(raw, dict):
        item.answer = _rejected(None, "A record must be a JSON object.")
        return item
    item.uuid = str(raw.get("uuid")) if raw.get("uuid") is not None else None
    if problems := sync_limits.problems(raw):
        item.answer = _rejected(
            item.uuid,
            "Some values of the record cannot be stored (bad text or number); see errors.",
            problems,
        )
        return item
    bare, made_by = sync_makers.split(raw)
    try:
        envelope = fast_envelope(bare) or ENVELOPE.load(bare)
    except ma.ValidationError as exc:
        item.answer = _rejected(
            item.uuid, "The record envelope has invalid fields; see errors.", exc.messages
        )
        return item
    item.uuid = str(envelope["uuid"])
    rtype = RECORD_TYPES.get(envelope["type"])
    if rtype is None:
        item.answer = _rejected(
            item.uuid,
            f"Unknown record type '{envelope['type']}'; known: {', '.join(sorted(RECORD_TYPES))}.",
            {"type": ["unknown type"]},
        )
        return item
    if user.role not in rtype.roles:
        item.answer = _rejected(
            item.uuid,
            f"Your role '{user.role}' may not push '{rtype.name}' records.",
            code="forbidden",
        )
        return item
    try:  # a shared phone: who made the record, and may this user push it?
        author, received_by = sync_makers.author_of(made_by, user, rtype.roles)
    except AppError as exc:
        item.answer = _rejected(item.uuid, exc.message, exc.errors, code=exc.code_name)
        return item
    raw_canonical = dict(raw, client_time=envelope["client_time"])
    position = envelope["position"] or {}
    item.rtype, item.payload = rtype, raw
    item.meta = RecordMeta(
        uuid=item.uuid,
        user=author,
        received_by=received_by,
        client_time=envelope["client_time"],
        server_time=now,
        clock_skew_seconds=clock_skew(sent_at, envelope["client_time"], now),
        lat=position.get("lat"),
        lon=position.get("lon"),
        accuracy_m=position.get("accuracy"),
        app_version=envelope["app_version"],
        content_hash=content_hash(raw_canonical),
    )
    try:
        schema = _schema(rtype.schema)
        fast = getattr(schema, "fast_load", None)
        item.data = (fast and fast(envelope["data"])) or schema.load(envelope["data"])
    except ma.ValidationError as exc:
        item.answer = _rejected(
            item.uuid,
            f"The {rtype.name} data has invalid fields; see errors.",
            {"data": exc.messages},
        )
    return item


def _receipts(uuids: list[str]) -> dict[str, SyncReceipt]:
    if not uuids:
        return {}
    rows = db.session.scalars(sa.select(SyncReceipt).where(SyncReceipt.uuid.in_(uuids)))
    return {r.uuid: r for r in rows}


def _answer_existing(item: Prepared, receipt: SyncReceipt) -> dict:
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


def _keep_conflict(item: Prepared, receipt: SyncReceipt) -> SyncConflict | None:
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


def _store_fast(items: list[Prepared]) -> bool:
    """Store every new record in one savepoint; False (nothing kept) if anything went wrong."""
    try:
        with db.session.begin_nested():
            for name, rtype in RECORD_TYPES.items():  # registration order: visits first
                group = [i for i in items if i.rtype.name == name]
                if group:
                    _store_group(rtype, group)
            db.session.execute(_INSERT_RECEIPTS, [_receipt_row(i) for i in items])
    except (AppError, DBAPIError) as exc:
        log.info("batch fast path fell back to one record at a time: %s", exc)
        for item in items:
            item.obj = item.object_id = None
        _forget_batch_caches()
        return False
    for item in items:
        item.answer = _created(item)
    return True


def _store_one(item: Prepared, attempts: int = 3) -> None:
    """Store one record in its own savepoint; a lost race answers duplicate or conflict."""
    for attempt in range(attempts):
        try:
            with db.session.begin_nested():
                _store_group(item.rtype, [item])
                db.session.execute(sa.insert(SyncReceipt.__table__), [_receipt_row(item)])
            item.answer = _created(item)
            return
        except AppError as exc:
            _forget_batch_caches()
            item.obj = item.object_id = None
            item.answer = _rejected(item.uuid, exc.message, exc.errors, code=exc.code_name)
            return
        except IntegrityError:
            _forget_batch_caches()
            item.obj = item.object_id = None
            receipt = _receipts([item.uuid]).get(item.uuid)
            if receipt is not None:
                item.answer = _answer_existing(item, receipt)
                return
            item.answer = _rejected(
                item.uuid,
                "The record breaks a uniqueness rule of the "
                "database (not its UUID); fix it and resend.",
                code="integrity",
            )
            return
        except DBAPIError as exc:
            _forget_batch_caches()
            item.obj = item.object_id = None
            if not db_errors.transient(exc):  # resending cannot help: refuse this record alone
                log.error("push of %s refused by the database: %s", item.uuid, exc.orig)
                item.answer = _rejected(item.uuid, *db_errors.refusal(exc))
                return
            log.warning("push of %s failed (attempt %d): %s", item.uuid, attempt + 1, exc.orig)
            time.sleep(0.05 * (attempt + 1))
    item.answer = _rejected(
        item.uuid, "The server was too busy to store this record; resend it.", code="busy"
    )


def _forget_batch_caches() -> None:
    """Drop per-batch lookups (stores cache rows in session.info) after a rollback."""
    for key in [k for k in db.session.info if k.startswith("sync_")]:
        del db.session.info[key]


def push(user, records: list, sent_at: datetime | None = None) -> dict:
    """Store a batch of records; one answer per record, in order."""
    if db.engine.dialect.name == "sqlite":
        with _sqlite_push_lock:  # SQLite has one writer; queue here instead of failing busy
            return push_records(user, records, sent_at)
    return push_records(user, records, sent_at)


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
    keys = sorted({int.from_bytes(uuidlib.UUID(u).bytes[:8], "big", signed=True) for u in uuids})
    if keys:  # one round trip; unnest yields (and locks) the keys in array order
        db.session.execute(
            sa.text(
                "SELECT count(pg_advisory_xact_lock(k)) FROM unnest(CAST(:keys AS bigint[])) AS k"
            ),
            {"keys": keys},
        )


def _begin_sqlite_transaction() -> None:
    """Open a real write transaction on SQLite before any savepoint.

    pysqlite (Python < 3.12 legacy mode) emits no BEGIN before SAVEPOINT, so RELEASE of the
    outermost savepoint would COMMIT on its own, half a batch before the request ends.
    BEGIN IMMEDIATE also takes the write lock up front, so the batch cannot deadlock.
    """
    if db.engine.dialect.name != "sqlite":
        return
    import sqlite3

    raw = db.session.connection().connection.dbapi_connection
    if not raw.in_transaction:
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another writer held the lock too long
            raise Busy(
                f"The database is busy ({exc}); nothing was stored. Send the batch "
                "again in a moment."
            ) from None


def push_records(user, records: list, sent_at: datetime | None = None) -> dict:
    """push() without the SQLite queue, for callers already inside a write (conflict review)."""
    _begin_sqlite_transaction()
    now = utcnow()
    items = [_prepare(i, raw, user, now, sent_at) for i, raw in enumerate(records)]
    pending = [i for i in items if i.answer is None]
    _lock_uuids([u for i in pending for u in (i.uuid, *_related_uuids(i))])
    receipts = _receipts([i.uuid for i in pending])
    new: list[Prepared] = []
    for item in pending:
        if item.uuid in receipts:
            item.answer = _answer_existing(item, receipts[item.uuid])
        else:
            new.append(item)
    new.sort(key=lambda i: i.uuid)
    unique = len({i.uuid for i in new}) == len(new)
    if new and not (unique and _store_fast(new)):
        for item in new:
            receipt = _receipts([item.uuid]).get(item.uuid)
            if receipt is not None:  # stored earlier in this very batch
                item.answer = _answer_existing(item, receipt)
            else:
                _store_one(item)
    _pause_for_fault_test(len(new))
    _run_after_batch([i for i in new if i.obj is not None])
    _forget_batch_caches()
    answers = []
    for item in items:
        answer = dict(item.answer)
        if item.meta is not None and answer["status"] != "rejected":
            answer["clock_skew_seconds"] = item.meta.clock_skew_seconds
        answers.append(answer)
    skews = [item.meta.clock_skew_seconds for item in items if item.meta is not None]
    skew = round((sent_at - now).total_seconds()) if sent_at else max(skews, key=abs, default=0)
    return {
        "server_time": iso(now),
        "clock_skew_seconds": skew,
        "clock_warning": abs(skew) > _skew_limit(),
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
