"""What the visit and inspection stores share: the evidence columns of a record, the refusal
of one field, and lookups kept for the records of one push."""

from __future__ import annotations

from server.errors import Invalid
from server.extensions import db
from server.services.sync.registry import RecordMeta


def meta_columns(meta: RecordMeta) -> dict:
    return {
        "uuid": meta.uuid,
        "user_id": meta.user.id,
        "client_time": meta.client_time,
        "server_time": meta.server_time,
        "clock_skew_seconds": meta.clock_skew_seconds,
        "lat": meta.lat,
        "lon": meta.lon,
        "accuracy_m": meta.accuracy_m,
        "app_version": meta.app_version,
        "content_hash": meta.content_hash,
    }


def invalid(field: str, message: str) -> Invalid:
    return Invalid(message, errors={"data": {field: [message]}})


def batch_cache(name: str) -> dict:
    """Lookups shared by the records of one push (dropped after it; see services/sync/engine.py)."""
    return db.session.info.setdefault(f"sync_{name}", {})
