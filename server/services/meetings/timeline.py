"""A meeting's events in time order, each with who and when, gathered from registered sources.

A source is `fn(meeting) -> [event(...)]`; record types add theirs with register_source()
(server/hooks.py), so the timeline never needs to know them. The sources here: the meeting's
revisions, its scheduled start and end, and its due checks (due, and done by whom).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, User
from server.periods import iso
from server.services.meetings import due, meetings

TimelineSource = Callable[[Meeting], list[dict]]
SOURCES: list[TimelineSource] = []


def register_source(source: TimelineSource) -> TimelineSource:
    """Add a source of events (idempotent: tests build many apps)."""
    if source not in SOURCES:
        SOURCES.append(source)
    return source


def _plain(value):
    return iso(value) if isinstance(value, datetime) else value


def event(
    kind: str,
    at: datetime,
    *,
    user_id: int | None = None,
    recorded_at: datetime | None = None,
    received_at: datetime | None = None,
    record_id: int | None = None,
    flags: list | None = None,
    **details,
) -> dict:
    """One event: what (`kind`), when it happened (`at`), who, the phone's and the server's
    clocks of the record behind it, and the kind's own details (JSON values)."""
    return {
        "at": at,
        "kind": kind,
        "user_id": user_id,
        "recorded_at": recorded_at,
        "received_at": received_at,
        "record_id": record_id,
        "flags": flags or [],
        "details": {k: _plain(v) for k, v in details.items()},
    }


def events(meeting: Meeting) -> list[dict]:
    """Every source's events by time; at the same instant, in source order (stable sort)."""
    found = [e for source in SOURCES for e in source(meeting)]
    found.sort(key=lambda e: e["at"])
    ids = {e["user_id"] for e in found if e["user_id"] is not None}
    query = sa.select(User.id, User.display_name).where(User.id.in_(sorted(ids)))
    names = {uid: name for uid, name in db.session.execute(query)} if ids else {}
    return [{**e, "at": iso(e["at"]), "user_name": names.get(e["user_id"])} for e in found]


def revisions(meeting: Meeting) -> list[dict]:
    """meeting_created / meeting_updated / meeting_cancelled, with the changed fields."""
    return [
        event(
            f"meeting_{r.action}",
            r.changed_at,
            user_id=r.user_id,
            version=r.version,
            changes=r.changes,
        )
        for r in meeting.revisions
    ]


def schedule(meeting: Meeting) -> list[dict]:
    return [
        event("meeting_starts", meeting.starts_at),
        event("meeting_ends", meeting.ends_at),
    ]


def due_checks(meeting: Meeting) -> list[dict]:
    """check_due at each check's due time (with its state now), check_done when a record did it."""
    out = []
    for check in due.due_checks(meeting, meetings.current_time()):
        what = {"key": check["key"], "check": check["kind"], "subject": check["subject"]}
        out.append(
            event(
                "check_due", datetime.fromisoformat(check["due_at"]), state=check["state"], **what
            )
        )
        if check["done_at"]:
            done_at = datetime.fromisoformat(check["done_at"])
            out.append(event("check_done", done_at, user_id=check["done_by_user_id"], **what))
    return out


BUILT_IN = (revisions, schedule, due_checks)
