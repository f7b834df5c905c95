"""Bulk changes to a selection of devices (move to a room, set a status): a check that says
what each device would do, and the change itself, all or nothing."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import db_id, roles_required
from server.api.devices import TagField
from server.api.out import Out
from server.models import DEVICE_STATUSES
from server.security import MANAGER_ROLES
from server.services.core import device_bulk

blp = Blueprint(
    "device_bulk", __name__, url_prefix="/device-bulk", description="Bulk device changes"
)


def _unique(tags):
    if len(set(tags)) != len(tags):
        raise ma.ValidationError("each tag once")


class BulkIn(ma.Schema):
    tags = ma.fields.List(
        TagField(),
        required=True,
        validate=[ma.validate.Length(min=1, max=device_bulk.MAX_BULK), _unique],
    )
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(device_bulk.ACTIONS))
    room_id = db_id(metadata={"description": "the room every device moves to (action move)"})
    status = ma.fields.String(
        validate=ma.validate.OneOf(DEVICE_STATUSES),
        metadata={"description": "the status every device takes (action status)"},
    )
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=256),
        metadata={"description": "why: kept in every device's custody history"},
    )


class BulkOutcome(Out):
    tag = ma.fields.String()
    ok = ma.fields.Boolean()
    code = ma.fields.String(allow_none=True, metadata={"description": "why refused (code_name)"})
    message = ma.fields.String(allow_none=True)


class BulkOut(Out):
    items = ma.fields.List(ma.fields.Nested(BulkOutcome))
    refused = ma.fields.Integer()


def _answer(outcomes: list[dict]) -> dict:
    return {"items": outcomes, "refused": sum(not o["ok"] for o in outcomes)}


@blp.route("/check", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
def check_bulk(args):
    """What the change would do to each device (ok, or the refusal's code); writes nothing."""
    return _answer(device_bulk.check(**args))


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(BulkIn)
@blp.response(200, BulkOut)
def run_bulk(args):
    """Change every device, or none (422 bulk_refused naming each refused device)."""
    return _answer(device_bulk.apply(**args))
