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


ENVELOPE = Envelope()
_ENVELOPE_KEYS = {"uuid", "type", "client_time", "app_version", "position", "data"}
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
    if uuid is None:
        return None
    return {
        "uuid": uuid,
        "type": raw["type"],
        "client_time": client_time,
        "app_version": version,
        "position": position,
        "data": raw["data"],
    }


def content_hash(envelope: dict) -> str:
    """SHA-256 of the canonical JSON of what the engineer recorded (not transport fields).

    app_version is left out: an app update between two retries must not turn a replay
    into a conflict. client_time is normalised to UTC so a re-serialised offset does not either.
    """
    canonical = {
        "type": envelope["type"],
        "client_time": iso(envelope["client_time"]),
        "position": envelope.get("position"),
        "data": envelope["data"],
    }
    raw = json.dumps(
        canonical, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str
    )
    return hashlib.sha256(raw.encode()).hexdigest()
