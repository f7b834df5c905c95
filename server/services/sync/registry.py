"""Extension points of the sync protocol: pushable record types and field-pack sections.

Each feature lists its own types (TYPES, SECTIONS); record_types.py registers those lists at
app set-up, so the push and pull machinery (services/sync/engine.py) never needs to know about faults, plans...
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import marshmallow as ma

from server.security import FIELD_ROLES


@dataclass(frozen=True)
class RecordMeta:
    """What every pushed record carries besides its data (docs/sync.md)."""

    uuid: str
    user: Any  # server.models.User
    client_time: datetime
    server_time: datetime
    clock_skew_seconds: int
    lat: float | None
    lon: float | None
    accuracy_m: float | None
    app_version: str | None
    content_hash: str
    received_by: Any = None  # a supervisor who pushed another user's record (`user` made it)


@dataclass(frozen=True)
class RecordType:
    """A kind of record the phone can push.

    `schema` validates `data`; `store(data, meta)` adds the rows to the session and returns
    the main object, or raises server.errors.AppError to reject the record with a reason
    (check before adding anything). It may flush or leave flushing to the caller, which
    flushes each batch and then reads the object's `id`. It is called at most once per
    UUID: idempotency (receipts, duplicates, conflicts) is handled by services/sync/engine.py.
    `after_batch(objects)`, if given, runs once per push after the batch was flushed.
    `store_many([(data, meta), ...])`, if given, stores many records at once and returns
    their ids in order (the fast path of a push); it raises AppError if any record is bad,
    and the engine then stores the batch one record at a time with `store`.
    The schema may define `fast_load(data) -> dict | None`: the result of load() for a
    well-formed record without marshmallow's cost, None to fall back to load().
    """

    name: str
    schema: type[ma.Schema]
    store: Callable[[dict, RecordMeta], Any]
    roles: tuple[str, ...] = FIELD_ROLES
    after_batch: Callable[[list[Any]], None] | None = None
    store_many: Callable[[list[tuple[dict, RecordMeta]]], list[int]] | None = None


@dataclass(frozen=True)
class PackSection:
    """A list in the field pack: rows changed since a time (None: all) and how to dump one."""

    name: str
    changed_since: Callable[[Any, datetime | None], Iterable[Any]]  # (user, since) -> rows
    dump: Callable[[Any], dict]
    deleted_since: Callable[[Any, datetime | None], list[int]] | None = None


RECORD_TYPES: dict[str, RecordType] = {}
PACK_SECTIONS: dict[str, PackSection] = {}
# Rules the phone computes with offline, sent whole in every pack under `constants.<name>`.
PACK_CONSTANTS: dict[str, Callable[[], dict]] = {}
# Rows derived from a batch's records, built in the push before the evidence chain is appended
# (coverage's visit targets: their per-site locks come before the one head row's, which is then
# held only to the commit). Each takes the session; by qualified name, so registering is idempotent.
BATCH_FINISHERS: dict[str, Callable[[Any], None]] = {}


def register_record_type(record_type: RecordType) -> RecordType:
    RECORD_TYPES[record_type.name] = record_type
    return record_type


def register_pack_section(section: PackSection) -> PackSection:
    PACK_SECTIONS[section.name] = section
    return section


def register_pack_constants(name: str, constants: Callable[[], dict]) -> None:
    PACK_CONSTANTS[name] = constants


def register_batch_finisher(finish: Callable[[Any], None]) -> None:
    BATCH_FINISHERS[f"{finish.__module__}.{finish.__qualname__}"] = finish
