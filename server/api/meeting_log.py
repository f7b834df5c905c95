"""A meeting's timeline: revisions, due checks, incidents, registers (and later records) in order."""

from flask_login import current_user
from flask_smorest import Blueprint

from server import errors
from server.api.base import roles_required
from server.api.schemas_meeting_log import TimelineOut
from server.security import ANY_ROLE
from server.services.meetings import meetings, queries, timeline

blp = Blueprint(
    "meeting_log", __name__, url_prefix="/meetings", description="Meetings: the timeline"
)


@blp.route("/<int:meeting_id>/timeline")
@roles_required(*ANY_ROLE)
@blp.response(200, TimelineOut)
def meeting_timeline(meeting_id):
    """The meeting's events in time order, each with who and when (engineers: assigned only)."""
    meeting = meetings.get(meeting_id)
    if current_user.role == "engineer" and not queries.assigned(meeting, current_user.id):
        raise errors.Forbidden("Engineers see only the meetings they are assigned to.")
    return {"meeting_id": meeting.id, "items": timeline.events(meeting)}
