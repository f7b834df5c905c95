"""Warnings about a meeting: double-booked engineers, too few engineers, no host room."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, MeetingEngineer
from server.periods import iso
from server.services.meetings.due import MAJOR_ARRIVAL_BEFORE, arrival_lead, prep_start


def double_bookings(meeting: Meeting) -> list[dict]:
    """Each assigned engineer's other scheduled meetings whose work overlaps this one's.

    A meeting's work runs from the engineers' arrival (1 h or half a day before) to its end.
    """
    ids = [me.user_id for me in meeting.engineers]
    if not ids or meeting.state == "cancelled":
        return []
    start, end = prep_start(meeting), meeting.ends_at
    # Widest lead first in SQL, the exact one per meeting below.
    query = (
        sa.select(MeetingEngineer.user_id, Meeting)
        .join(Meeting, Meeting.id == MeetingEngineer.meeting_id)
        .where(
            MeetingEngineer.user_id.in_(ids),
            Meeting.state == "scheduled",
            Meeting.starts_at < end + MAJOR_ARRIVAL_BEFORE,
            Meeting.ends_at > start,
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if meeting.id is not None:
        query = query.where(Meeting.id != meeting.id)
    out = []
    for user_id, other in db.session.execute(query):
        if other.starts_at - arrival_lead(other) < end:
            out.append(
                {
                    "code": "engineer_double_booked",
                    "engineer_id": user_id,
                    "meeting_id": other.id,
                    "title": other.title,
                    "starts_at": iso(other.starts_at),
                }
            )
    return out


def warnings(meeting: Meeting) -> list[dict]:
    """What the office page should point out (none of it blocks saving)."""
    if meeting.state == "cancelled":
        return []
    out = double_bookings(meeting)
    if not meeting.engineers:
        out.append({"code": "no_engineer"})
    elif meeting.kind == "major" and len(meeting.engineers) < 2:
        out.append({"code": "major_needs_more_engineers"})
    if meeting.host_room_id is None:
        out.append({"code": "no_host_room"})
    return out
