"""Swaps: scan the faulty unit then the spare; flagged swaps wait for a supervisor."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, db_id, paginate, roles_required
from server.api.schemas_spares import SwapOut, SwapPage
from server.models import SWAP_STATES
from server.security import ANY_ROLE, FIELD_ROLES, MANAGER_ROLES
from server.services.faults import lifecycle as fault_service
from server.services.faults import swaps as swap_service
from server.services.faults.records import SwapData
from server.services.presence import records as presence

blp = Blueprint("swaps", __name__, url_prefix="/swaps", description="Spare swaps")


class SwapIn(SwapData):
    swapped_at = ma.fields.AwareDateTime(metadata={"description": "default now"})
    uuid = ma.fields.UUID(metadata={"description": "client-made id; default a new one"})
    # Ranged here for the API (a huge id is a 422, not an overflow); the sync record has its own.
    fault_id = db_id(allow_none=True)
    expected_room_id = db_id(allow_none=True)


class SwapQuery(PageArgs):
    state = ma.fields.String(validate=ma.validate.OneOf(SWAP_STATES))


class SwapResolveIn(ma.Schema):
    action = ma.fields.String(required=True, validate=ma.validate.OneOf(("apply", "dismiss")))
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))


def swap_view(swap) -> dict:
    def unit(device):
        return {
            "id": device.id,
            "tag": device.tag,
            "type_code": device.type.code,
            "status": device.status,
            "room_id": device.room_id,
        }

    return {
        "id": swap.id,
        "uuid": swap.uuid,
        "state": swap.state,
        "flags": swap.flags or [],
        "fault_id": swap.fault_id,
        "fault_uuid": swap.fault_uuid,
        "faulty": unit(swap.faulty_device),
        "spare": unit(swap.spare_device),
        "room_id": swap.room_id,
        "spare_from_room_id": swap.spare_from_room_id,
        "better_grade": swap.better_grade,
        "faulty_tag_source": swap.faulty_tag_source,
        "spare_tag_source": swap.spare_tag_source,
        "presence": presence.of_swap(swap),
        "swapped_at": swap.swapped_at.isoformat(),
        "user_id": swap.user_id,
        "client_time": swap.client_time.isoformat(),
        "server_time": swap.server_time.isoformat(),
        "resolved_by_id": swap.resolved_by_id,
        "resolved_at": swap.resolved_at.isoformat() if swap.resolved_at else None,
        "resolution_note": swap.resolution_note,
    }


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(SwapQuery, location="query")
@blp.response(200, SwapPage)
def list_swaps(args):
    """Swaps, newest first; state=flagged is the supervisor's review list."""
    result = paginate(swap_service.list_query(args.get("state")), args["page"], args["per_page"])
    items = presence.annotate_swaps(list(result["items"]))
    return {**result, "items": [swap_view(s) for s in items]}


@blp.route("", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(SwapIn)
@blp.response(201, SwapOut, description="applied: the units moved")
@blp.alt_response(
    202, schema=SwapOut, success=True, description="flagged for a supervisor: nothing moved yet"
)
def create_swap(args):
    """Swap a faulty unit for a spare: 201 applied, or 202 flagged for a supervisor (nothing moved)."""
    args["swapped_at"] = args.get("swapped_at") or fault_service.current_time()
    if "uuid" in args:
        args["uuid"] = str(args["uuid"])
    swap = swap_service.record_swap(user=current_user, **args)
    return swap_view(swap), 201 if swap.state == "applied" else 202


@blp.route("/<int:swap_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, SwapOut)
def get_swap(swap_id):
    """One swap."""
    return swap_view(swap_service.get_swap(swap_id))


@blp.route("/<int:swap_id>/resolve", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(SwapResolveIn)
@blp.response(200, SwapOut)
def resolve_swap(args, swap_id):
    """Decide a flagged swap: apply it as scanned (moves the units now) or dismiss it (kept on record)."""
    swap = swap_service.resolve_flagged(
        swap_service.get_swap(swap_id), args["action"], current_user, args.get("note")
    )
    return swap_view(swap)
