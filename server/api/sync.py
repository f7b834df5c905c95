"""Sync: pull the field pack, push records, and the conflicts supervisors review (docs/sync.md)."""

import marshmallow as ma
from flask import jsonify
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, QueryArgs, paginate, roles_required
from server.api.out import Computed, Out, Timestamp, utc_z
from server.api.schemas import page_of
from server.api.schemas_sync import FieldPackOut, PushOut
from server.extensions import db
from server.models import CONFLICT_STATES, User
from server.security import FIELD_ROLES, MANAGER_ROLES
from server.services.field import conflict_compare as compare
from server.services.sync import conflicts as sync_conflicts
from server.services.sync import engine as sync_service
from server.services.sync import pull as sync_pull
from server.services.sync import reports as phone_reports

blp = Blueprint("sync", __name__, url_prefix="/sync", description="Phone sync protocol")


class PullArgs(QueryArgs):
    cursor = ma.fields.String(load_default=None, validate=ma.validate.Length(max=64))


class PushIn(ma.Schema):
    records = ma.fields.List(
        ma.fields.Raw(allow_none=True),
        required=True,
        validate=ma.validate.Length(min=1, max=sync_service.MAX_BATCH),
    )
    sent_at = ma.fields.AwareDateTime(
        load_default=None, allow_none=True, metadata={"description": "phone clock when sending"}
    )


class ReportIn(ma.Schema):
    """A phone's outbox at this sync: its id (kept in IndexedDB), what the user has unsent."""

    phone_id = ma.fields.String(
        required=True,
        validate=[ma.validate.Length(min=8, max=64), ma.validate.Regexp(r"^[A-Za-z0-9-]+$")],
    )
    waiting = ma.fields.Integer(
        required=True,
        strict=True,  # 2.5 records is not a count
        validate=ma.validate.Range(min=0, max=1_000_000),
        metadata={"description": "records of this user unsent on the phone (waiting or failed)"},
    )
    oldest_at = ma.fields.AwareDateTime(
        load_default=None, allow_none=True, metadata={"description": "the oldest one's time"}
    )
    uuids = ma.fields.List(
        ma.fields.UUID(),
        load_default=list,
        validate=ma.validate.Length(max=phone_reports.MAX_UUIDS),
        metadata={"description": "their uuids, oldest first (at most 500)"},
    )


class ReportOut(Out):
    phone_id = ma.fields.String()
    waiting = ma.fields.Integer()
    never_arrived = ma.fields.Integer(
        metadata={"description": "this user's records that phones lost unsent (all phones)"}
    )


class ConflictQuery(PageArgs):
    state = ma.fields.String(validate=ma.validate.OneOf(CONFLICT_STATES))


class SyncPersonOut(Out):
    """Who pushed or made a record: id, username and name."""

    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()


class OriginalOut(Out):
    id = ma.fields.Integer(allow_none=True, metadata={"description": "the stored object"})
    user_id = ma.fields.Integer()
    user = ma.fields.Nested(SyncPersonOut, allow_none=True)
    client_time = Timestamp(metadata={"description": "the phone's clock when it was made"})
    server_time = Timestamp()
    clock_skew_seconds = ma.fields.Integer(metadata={"description": "phone - server at its push"})
    content_hash = ma.fields.String()


class RowOut(Out):
    field = ma.fields.String()
    server = ma.fields.Raw(allow_none=True)
    phone = ma.fields.Raw(allow_none=True)
    differs = ma.fields.Boolean()


class ItemRowOut(Out):
    key = ma.fields.String()
    label_zh = ma.fields.String(allow_none=True)
    label_en = ma.fields.String(allow_none=True)
    unit = ma.fields.String(allow_none=True)
    server = ma.fields.Dict(
        allow_none=True, metadata={"description": "outcome, reason, value, note, photos"}
    )
    phone = ma.fields.Dict(
        allow_none=True, metadata={"description": "as the server would store it"}
    )
    differs = ma.fields.Boolean()


class TemplateNameOut(Out):
    id = ma.fields.Integer()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()


class VersionsOut(Out):
    kind = ma.fields.String(
        metadata={"description": "inspection, visit, or other (phone side only)"}
    )
    template = ma.fields.Nested(TemplateNameOut, allow_none=True)
    fields = ma.fields.List(ma.fields.Nested(RowOut))
    items = ma.fields.List(ma.fields.Nested(ItemRowOut))
    differences = ma.fields.Integer()


class ConflictOut(Out):
    id = ma.fields.Integer()
    uuid = ma.fields.String()
    record_type = ma.fields.String()
    user_id = ma.fields.Integer()
    user = Computed(
        lambda c: person_of(c.user_id), like=ma.fields.Nested(SyncPersonOut, allow_none=True)
    )
    client_time = Computed(
        lambda c: compare.instant((c.payload or {}).get("client_time")),
        like=ma.fields.String(allow_none=True),
        metadata={"description": "the phone's clock when the kept version was made"},
    )
    received_at = Timestamp()
    state = ma.fields.String()
    payload = ma.fields.Dict()
    resolved_by_id = ma.fields.Integer(allow_none=True)
    resolved_at = Timestamp(allow_none=True)
    resolution_note = ma.fields.String(allow_none=True)
    accepted_uuid = ma.fields.String(allow_none=True)
    original = Computed(
        lambda c: _original(c),
        like=ma.fields.Nested(OriginalOut, allow_none=True),
        metadata={"description": "the stored record it clashed with"},
    )
    versions = Computed(
        lambda c: compare.compare(c, getattr(sync_conflicts.original_of(c), "object_id", None)),
        like=ma.fields.Nested(VersionsOut),
        metadata={"description": "the stored record and the kept version, field by field"},
    )


def person_of(user_id) -> dict | None:
    user = db.session.get(User, user_id) if user_id else None
    return user and {"id": user.id, "username": user.username, "display_name": user.display_name}


def _original(conflict) -> dict | None:
    receipt = sync_conflicts.original_of(conflict)
    return receipt and {
        "id": receipt.object_id,
        "user_id": receipt.user_id,
        "user": person_of(receipt.user_id),
        "client_time": utc_z(receipt.client_time),
        "server_time": utc_z(receipt.server_time),
        "clock_skew_seconds": receipt.clock_skew_seconds,
        "content_hash": receipt.content_hash,
    }


class ResolveIn(ma.Schema):
    resolution = ma.fields.String(
        required=True, validate=ma.validate.OneOf(("dismissed", "accepted"))
    )
    note = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Length(max=2000),
        metadata={"description": "why; required to dismiss"},
    )


@blp.route("/pull")
@roles_required(*FIELD_ROLES)
@blp.arguments(PullArgs, location="query")
@blp.response(200, FieldPackOut)
def pull(args):
    """The field pack: everything, or only what changed since `cursor`."""
    # FieldPackOut documents the pack; dumping ~1,500 rows through it again would double the
    # pull's time, so the rows go out as the pack sections made them (tests check they match).
    return jsonify(sync_pull.pull(current_user, args["cursor"]))


@blp.route("/push", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(PushIn)
@blp.response(200, PushOut)
def push(args):
    """Store a batch of records; one answer per record (created/duplicate/conflict/rejected)."""
    # fresh: nothing written yet in this request's transaction (sessions.py commits its own)
    return sync_service.push(current_user, args["records"], args["sent_at"], fresh=True)


@blp.route("/report", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(ReportIn)
@blp.response(200, ReportOut)
def report(args):
    """The phone's outbox state; the answer counts this user's records that never arrived."""
    row = phone_reports.record_report(
        current_user,
        args["phone_id"],
        args["waiting"],
        args["oldest_at"],
        [str(u) for u in args["uuids"]],
    )
    never = phone_reports.lost_for_user(current_user.id)
    return {"phone_id": row.phone_id, "waiting": row.waiting, "never_arrived": never}


@blp.route("/conflicts")
@roles_required(*MANAGER_ROLES)
@blp.arguments(ConflictQuery, location="query")
@blp.response(200, page_of(ConflictOut))
def list_conflicts(args):
    """Pushed versions that clashed with an already stored record, newest first."""
    return paginate(
        sync_conflicts.conflicts_query(args.get("state")), args["page"], args["per_page"]
    )


@blp.route("/conflicts/<int:conflict_id>")
@roles_required(*MANAGER_ROLES)
@blp.response(200, ConflictOut)
def get_conflict(conflict_id):
    """One conflict with the kept payload and the original it clashed with."""
    return sync_conflicts.get_conflict(conflict_id)


@blp.route("/conflicts/<int:conflict_id>/resolve", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ResolveIn)
@blp.response(200, ConflictOut)
def resolve_conflict(args, conflict_id):
    """Dismiss the kept version, or accept it as a new record superseding the original."""
    return sync_conflicts.resolve_conflict(
        sync_conflicts.get_conflict(conflict_id), current_user, args["resolution"], args["note"]
    )
