"""What every meeting record pushed from the phone is checked against: its meeting, its site, its author."""

from __future__ import annotations

from server.errors import Invalid
from server.extensions import db
from server.models import Meeting
from server.services.core import reason_codes


def refuse(code: str, field: str, message: str) -> Invalid:
    """A per-record refusal: the push answers `rejected` with this code; nothing is stored."""
    return Invalid(message, errors={"data": {field: [message]}}, code_name=code)


def meeting_for_record(meeting_id: int) -> Meeting:
    """The record's meeting; an unknown or cancelled one refuses the record."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        raise refuse("meeting_unknown", "meeting_id", f"No meeting {meeting_id}.")
    if meeting.state == "cancelled":
        raise refuse("meeting_cancelled", "meeting_id", f"Meeting {meeting_id} was cancelled.")
    return meeting


def check_site(meeting: Meeting, site_id: int) -> None:
    """The host site or a participating site; any other refuses the record."""
    if site_id == meeting.host_site_id or any(ms.site_id == site_id for ms in meeting.sites):
        return
    raise refuse(
        "site_not_in_meeting",
        "site_id",
        f"Site {site_id} neither hosts nor takes part in meeting {meeting.id}.",
    )


def author_flags(meeting: Meeting, user) -> list[dict]:
    """An author not assigned to the meeting is allowed (a colleague helped) but flagged."""
    if any(me.user_id == user.id for me in meeting.engineers):
        return []
    return [reason_codes.flag("not_assigned", user=user.display_name, meeting=meeting.id)]
