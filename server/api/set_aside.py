"""Set aside a refused record (POST /sync/set-aside): the phone's way out of a rejection, kept
whole on the server for a supervisor (docs/sync.md, "Set aside")."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.out import Computed, Out, Timestamp
from server.security import FIELD_ROLES
from server.services.sync import set_aside as service

blp = Blueprint("set_aside", __name__, url_prefix="/sync", description="Set-aside records")


class SetAsideIn(ma.Schema):
    record_uuid = ma.fields.UUID(required=True)
    record_type = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    code = ma.fields.String(load_default=None, allow_none=True, validate=ma.validate.Length(max=32))
    reason = ma.fields.String(
        required=True,
        validate=[
            ma.validate.Length(max=2000),
            ma.validate.Predicate("strip", error="Say why the record is set aside."),
        ],
        metadata={"description": "why the engineer sets it aside (not empty)"},
    )
    record = ma.fields.Dict(
        required=True,
        keys=ma.fields.String(),
        metadata={"description": "the record as the phone holds it (type, client_time, data)"},
    )


class SetAsideOut(Out):
    id = ma.fields.Integer()
    record_uuid = ma.fields.String()
    record_type = ma.fields.String()
    code = ma.fields.String(allow_none=True)
    reason = ma.fields.String()
    record = ma.fields.Dict()
    user_id = ma.fields.Integer()
    created_at = Timestamp()
    tag = Computed(
        lambda row: (
            (row.record.get("data") or {}).get("tag")
            if isinstance(row.record.get("data"), dict)
            else None
        ),
        like=ma.fields.String(allow_none=True),
    )


@blp.route("/set-aside", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(SetAsideIn)
@blp.response(201, SetAsideOut, description="set aside")
@blp.alt_response(200, schema=SetAsideOut, success=True, description="already set aside")
def post_set_aside(args):
    """Set aside a record the server refused, with the reason; 201, or 200 when already done."""
    row, created = service.set_aside(current_user, args)
    return row, (201 if created else 200)
