"""Preparing a pushed record: limits, envelope, type, role, maker and data checked, each
failure a `rejected` answer of its own (the rest of the batch goes on)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import marshmallow as ma
from flask import current_app

from server.errors import AppError
from server.services.sync import limits as sync_limits
from server.services.sync import makers as sync_makers
from server.services.sync.envelope import ENVELOPE, canonical, fast_envelope, hash_canonical
from server.services.sync.registry import RECORD_TYPES, RecordMeta, RecordType

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


def rejected(
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
    return ahead if ahead > skew_limit() else 0


def skew_limit() -> int:
    return current_app.config.get("CLOCK_SKEW_LIMIT_SECONDS", 300)


def prepare(index: int, raw: Any, user, now: datetime, sent_at: datetime | None) -> Prepared:
    item = Prepared(index)
    if not isinstance(raw, dict):
        item.answer = rejected(None, "A record must be a JSON object.")
        return item
    item.uuid = str(raw.get("uuid")) if raw.get("uuid") is not None else None
    if problems := sync_limits.problems(raw):
        item.answer = rejected(
            item.uuid,
            "Some values of the record cannot be stored (bad text or number); see errors.",
            problems,
        )
        return item
    bare, made_by = sync_makers.split(raw)
    try:
        envelope = fast_envelope(bare) or ENVELOPE.load(bare)
    except ma.ValidationError as exc:
        item.answer = rejected(
            item.uuid, "The record envelope has invalid fields; see errors.", exc.messages
        )
        return item
    item.uuid = str(envelope["uuid"])
    rtype = RECORD_TYPES.get(envelope["type"])
    if rtype is None:
        item.answer = rejected(
            item.uuid,
            f"Unknown record type '{envelope['type']}'; known: {', '.join(sorted(RECORD_TYPES))}.",
            {"type": ["unknown type"]},
        )
        return item
    if user.role not in rtype.roles:
        item.answer = rejected(
            item.uuid,
            f"Your role '{user.role}' may not push '{rtype.name}' records.",
            code="forbidden",
        )
        return item
    try:  # a shared phone: who made the record, and may this user push it?
        author, received_by = sync_makers.author_of(made_by, user, rtype.roles)
    except AppError as exc:
        item.answer = rejected(item.uuid, exc.message, exc.errors, code=exc.code_name)
        return item
    item.extra["canonical"] = found = canonical(dict(raw, client_time=envelope["client_time"]))
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
        content_hash=hash_canonical(found),
    )
    try:
        schema = _schema(rtype.schema)
        fast = getattr(schema, "fast_load", None)
        item.data = (fast and fast(envelope["data"])) or schema.load(envelope["data"])
    except ma.ValidationError as exc:
        item.answer = rejected(
            item.uuid,
            f"The {rtype.name} data has invalid fields; see errors.",
            {"data": exc.messages},
        )
    return item
