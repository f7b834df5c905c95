"""The envelope every pushed record carries (docs/sync.md): validation and content hash."""

from __future__ import annotations

import hashlib
import json
import re
import uuid as uuidlib
from datetime import datetime

import marshmallow as ma

from server.periods import iso


class Position(ma.Schema):
    lat = ma.fields.Float(required=True, validate=ma.validate.Range(-90, 90))
    lon = ma.fields.Float(required=True, validate=ma.validate.Range(-180, 180))
    accuracy = ma.fields.Float(
        load_default=None, allow_none=True, validate=ma.validate.Range(min=0)
    )


class Envelope(ma.Schema):
    """What every record carries around its type-specific data."""

    uuid = ma.fields.UUID(required=True)
    type = ma.fields.String(required=True)
    client_time = ma.fields.AwareDateTime(required=True)
    app_version = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=32)
    )
    position = ma.fields.Nested(Position, load_default=None, allow_none=True)
    data = ma.fields.Dict(required=True)
    # The phone's own chain (docs/evidence.md): its install id, and the content hash of the
    # record it made before this one for the same user (null: the first, or an older app).
    phone_id = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^[0-9A-Za-z_-]{1,64}$")
    )
    prev_hash = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Regexp(r"^[0-9a-f]{64}$")
    )


ENVELOPE = Envelope()
_CHAIN_KEYS = ("phone_id", "prev_hash")
_ENVELOPE_KEYS = {"uuid", "type", "client_time", "app_version", "position", "data", *_CHAIN_KEYS}
_PHONE_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")
_HASH = re.compile(r"^[0-9a-f]{64}$")
_ISO_AWARE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?(Z|[+-]\d\d:\d\d)$")


def _number(value, low: float, high: float) -> bool:
    return type(value) in (int, float) and low <= value <= high


def fast_envelope(raw: dict) -> dict | None:
    """The envelope of a well-formed record without marshmallow (a push validates thousands);
    None when anything is unusual, and the schema then says precisely what is wrong."""
    if not (
        raw.keys() <= _ENVELOPE_KEYS
        and type(raw.get("type")) is str
        and type(raw.get("data")) is dict
        and type(raw.get("client_time")) is str
        and _ISO_AWARE.match(raw["client_time"])
    ):
        return None
    version, position = raw.get("app_version"), raw.get("position")
    if version is not None and (type(version) is not str or len(version) > 32):
        return None
    if position is not None:
        if not (
            type(position) is dict
            and position.keys() <= {"lat", "lon", "accuracy"}
            and _number(position.get("lat"), -90, 90)
            and _number(position.get("lon"), -180, 180)
            and (position.get("accuracy") is None or _number(position["accuracy"], 0, float("inf")))
        ):
            return None
        position = {
            "lat": float(position["lat"]),
            "lon": float(position["lon"]),
            "accuracy": None if position.get("accuracy") is None else float(position["accuracy"]),
        }
    try:
        uuid = uuidlib.UUID(raw["uuid"]) if type(raw.get("uuid")) is str else None
        client_time = datetime.fromisoformat(raw["client_time"].replace("Z", "+00:00"))
    except ValueError:
        return None
    if uuid is None or not _chain_ok(raw):
        return None
    return {
        "uuid": uuid,
        "type": raw["type"],
        "client_time": client_time,
        "app_version": version,
        "position": position,
        "data": raw["data"],
        "phone_id": raw.get("phone_id"),
        "prev_hash": raw.get("prev_hash"),
    }


def _chain_ok(raw: dict) -> bool:
    phone_id, prev_hash = raw.get("phone_id"), raw.get("prev_hash")
    return (phone_id is None or (type(phone_id) is str and _PHONE_ID.match(phone_id))) and (
        prev_hash is None or (type(prev_hash) is str and _HASH.match(prev_hash))
    )


def canonical(envelope: dict) -> dict:
    """What the content hash covers: the chain fields only when sent (older apps' hashes stay)."""
    found = {
        "type": envelope["type"],
        "client_time": iso(envelope["client_time"]),
        "position": envelope.get("position"),
        "data": envelope["data"],
    }
    for key in _CHAIN_KEYS:
        if envelope.get(key) is not None:
            found[key] = envelope[key]
    return found


def hash_canonical(found: dict) -> str:
    """SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of canonical()'s dict."""
    raw = json.dumps(found, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def content_hash(envelope: dict) -> str:
    """SHA-256 of the canonical JSON of what the engineer recorded (not transport fields).

    app_version is left out: an app update between two retries must not turn a replay
    into a conflict. client_time is normalised to UTC so a re-serialised offset does not either.
    """
    return hash_canonical(canonical(envelope))
