"""The field-pack pull: every registered pack section, whole or changed since a cursor."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from server.models import utcnow
from server.periods import iso
from server.services.sync.registry import PACK_CONSTANTS, PACK_SECTIONS

PULL_OVERLAP = timedelta(minutes=10)
CURSOR_PREFIX = "t1."


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def make_cursor(at: datetime) -> str:
    """Whole milliseconds since the epoch, by integer arithmetic: timestamp() * 1000 in floating
    point can land just below the true value and lose a millisecond."""
    return CURSOR_PREFIX + str((at - _EPOCH) // timedelta(milliseconds=1))


def parse_cursor(cursor: str | None) -> datetime | None:
    """The time a cursor stands for; None (full pack) for none or one we do not understand."""
    if not cursor or not cursor.startswith(CURSOR_PREFIX):
        return None
    try:
        millis = int(cursor[len(CURSOR_PREFIX) :])
        return datetime.fromtimestamp(millis / 1000, tz=UTC)
    except (ValueError, OverflowError, OSError):
        return None


def pull(user, cursor: str | None) -> dict:
    """The field pack: everything (no cursor) or what changed since the cursor.

    The cursor is the server time at the start of the previous pull; rows are read from
    PULL_OVERLAP before it, because a transaction that stamped updated_at earlier may have
    committed after that pull read. Re-sent rows are harmless: the client upserts by id.
    """
    now = utcnow()
    since = parse_cursor(cursor)
    if since is not None and since > now + PULL_OVERLAP:
        since = None  # a cursor from the future: the server clock went back; start over
    query_since = since - PULL_OVERLAP if since else None
    pack: dict[str, Any] = {
        "cursor": make_cursor(now),
        "full": since is None,
        "server_time": iso(now),
    }
    deleted: dict[str, list[int]] = {}
    for name, section in PACK_SECTIONS.items():
        pack[name] = [section.dump(row) for row in section.changed_since(user, query_since)]
        if section.deleted_since is not None and query_since is not None:
            deleted[name] = section.deleted_since(user, query_since)
    pack["deleted"] = deleted
    # Sent whole on every pull (a few hundred bytes): rules the phone computes with offline.
    pack["constants"] = {name: constants() for name, constants in PACK_CONSTANTS.items()}
    return pack
