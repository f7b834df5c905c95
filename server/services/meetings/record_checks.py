"""What every meeting record pushed from the phone is checked against: its meeting, its site,
its author. Shared by the check records (checks.py), incidents and usage registers."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import Meeting, MeetingEngineer, MeetingSite
from server.services.core import reason_codes


def refuse(code: str, field: str, message: str) -> Invalid:
    """A per-record refusal: the push answers `rejected` with this code; nothing is stored."""
    return Invalid(message, errors={"data": {field: [message]}}, code_name=code)


def meeting_for_record(meeting_id: int) -> Meeting:
    """The record's meeting; an unknown or cancelled one refuses the record."""
    with db.session.no_autoflush:
        meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        message = f"No meeting has the id {meeting_id}; pull the field pack again."
        raise refuse("meeting_unknown", "meeting_id", message)
    if meeting.state == "cancelled":
        message = f"Meeting {meeting_id} was cancelled; it owes no records."
        raise refuse("meeting_cancelled", "meeting_id", message)
    return meeting


def check_site(meeting: Meeting, site_id: int) -> None:
    """The host site or a participating site; any other refuses the record."""
    if site_id == meeting.host_site_id:
        return
    with db.session.no_autoflush:
        taking_part = db.session.scalar(
            sa.select(MeetingSite.id).where(
                MeetingSite.meeting_id == meeting.id, MeetingSite.site_id == site_id
            )
        )
    if taking_part is None:
        message = f"Site {site_id} neither hosts nor takes part in meeting {meeting.id}."
        raise refuse("site_not_in_meeting", "site_id", message)


def author_flags(meeting: Meeting, user) -> list[dict]:
    """An author not assigned to the meeting is allowed (a colleague helped) but flagged."""
    with db.session.no_autoflush:
        assigned = db.session.scalar(
            sa.select(MeetingEngineer.id).where(
                MeetingEngineer.meeting_id == meeting.id, MeetingEngineer.user_id == user.id
            )
        )
    if assigned is not None:
        return []
    return [reason_codes.flag("not_assigned", meeting=meeting.id, user=user.display_name)]
