"""Meetings: the list by period, engineer or site; one with its due checks; writes and history."""

from urllib.parse import quote

from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from server import errors, periods
from server.api.base import roles_required
from server.api.out import BINARY
from server.api.schemas_meetings import (
    CancelIn,
    EngineerListOut,
    HistoryOut,
    ImportIn,
    MeetingIn,
    MeetingListOut,
    MeetingOut,
    MeetingPatch,
    MeetingQueryArgs,
)
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.core import import_upload
from server.services.meetings import meetings, notice, queries
from server.services.reports import meeting_register

blp = Blueprint("meetings", __name__, url_prefix="/meetings", description="Meetings")


def _readable(meeting_id: int):
    """The meeting, if this user may read it: engineers only their own."""
    meeting = meetings.get(meeting_id)
    if current_user.role == "engineer" and not queries.assigned(meeting, current_user.id):
        raise errors.Forbidden("Engineers see only the meetings they are assigned to.")
    return meeting


def _detail(meeting):
    return queries.detail(meeting, meetings.current_time())


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(MeetingQueryArgs, location="query")
@blp.response(200, MeetingListOut)
def list_meetings(args):
    """Meetings starting in a period (default: this month), by engineer, site, state or kind."""
    args = dict(args)
    args["from"] = args.pop("from_", None)
    if current_user.role == "engineer":
        if args.get("engineer_id") not in (None, current_user.id):
            raise errors.Forbidden("Engineers see only their own meetings.")
        args["engineer_id"] = current_user.id
    now = meetings.current_time()
    month = periods.month_span(*periods.parse_month(periods.current_month(now), "month"))
    span = periods.query_span(args, default=month)
    filters = {k: args.get(k) for k in ("engineer_id", "site_code", "state", "kind")}
    items = queries.in_span(span, **filters)
    return {"period": span.label, "items": [queries.summary(m) for m in items]}


@blp.route("/engineers")
@roles_required(*MANAGER_ROLES)
@blp.response(200, EngineerListOut)
def list_engineers():
    """The active engineers a meeting may be assigned to (the users list is admins' only)."""
    return {"items": queries.active_engineers()}


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(MeetingIn)
@blp.response(201, MeetingOut)
def create_meeting(args):
    """Schedule a meeting; the answer carries its due checks and warnings (double bookings)."""
    return _detail(meetings.create(args, current_user))


@blp.route("/<int:meeting_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, MeetingOut)
def get_meeting(meeting_id):
    """One meeting with its sites, due checks and warnings."""
    return _detail(_readable(meeting_id))


@blp.route("/<int:meeting_id>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(MeetingPatch)
@blp.response(200, MeetingOut)
def patch_meeting(args, meeting_id):
    """Change some fields; a real change bumps the version and keeps a revision."""
    return _detail(meetings.update(meetings.get(meeting_id), dict(args), current_user))


@blp.route("/<int:meeting_id>/cancel", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(CancelIn)
@blp.response(200, MeetingOut)
def cancel_meeting(args, meeting_id):
    """Cancel a meeting (kept, with the reason in its history); it owes no checks any more."""
    meeting = meetings.get(meeting_id)
    return _detail(meetings.cancel(meeting, current_user, args.get("reason"), args.get("version")))


@blp.route("/<int:meeting_id>/history")
@roles_required(*ANY_ROLE)
@blp.response(200, HistoryOut)
def meeting_history(meeting_id):
    """Every revision: version, who, when, each field's old and new value."""
    return {"items": queries.history(_readable(meeting_id))}


@blp.route("/<int:meeting_id>/import", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ImportIn, location="files")
@blp.response(200, MeetingOut)
def import_notice(files, meeting_id):
    """Replace the participating sites from a meeting notice (CSV or XLSX: site, speaking)."""
    meeting = meetings.get(meeting_id)
    upload = files["file"]

    def work(path):
        return notice.import_notice(meeting, path, upload.filename, current_user)

    return _detail(import_upload.with_saved(upload, work, stem="notice"))


@blp.route("/<int:meeting_id>/register.pdf")
@roles_required(*ANY_ROLE)
@blp.doc(
    responses={
        "200": {"description": "the register", "content": {"application/pdf": {"schema": BINARY}}}
    }
)
def register_pdf(meeting_id):
    """The usage register (视频会议系统使用情况登记表) as a Chinese PDF."""
    meeting = _readable(meeting_id)
    response = Response(meeting_register.pdf(meeting), mimetype="application/pdf")
    name = meeting_register.filename(meeting)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="meeting-register-{meeting.id}.pdf"; '
        f"filename*=UTF-8''{quote(name)}"
    )
    response.headers["Cache-Control"] = "no-store"
    return response
