"""RMA: faulty units at the vendor; their return (repaired, replaced, scrapped; swap back or keep)."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, db_id, paginate, roles_required
from server.api.schemas_spares import RmaOut, RmaPage
from server.security import ANY_ROLE, FIELD_ROLES, MANAGER_ROLES
from server.services.faults import lifecycle as fault_service
from server.services.faults import rma as rma_service
from server.services.faults.records import RmaReturnData

blp = Blueprint("rma", __name__, url_prefix="/rma", description="Repairs at the vendor")


class RmaIn(ma.Schema):
    tag = ma.fields.String(required=True)
    vendor = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    sent_at = ma.fields.AwareDateTime(allow_none=True)
    expected_back = ma.fields.Date(allow_none=True)
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))
    fault_id = db_id(allow_none=True)


class RmaPatch(ma.Schema):
    vendor = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    sent_at = ma.fields.AwareDateTime(allow_none=True)
    expected_back = ma.fields.Date(allow_none=True)
    note = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))


class RmaReturnIn(RmaReturnData):
    class Meta:
        exclude = ("rma_id",)

    returned_at = ma.fields.AwareDateTime(metadata={"description": "default now"})
    store_room_id = db_id(allow_none=True)  # ranged here for the API; the sync record has its own


class RmaQuery(PageArgs):
    open = ma.fields.Boolean(load_default=False)


def rma_view(record) -> dict:
    def iso(value):
        return value.isoformat() if value else None

    return {
        "id": record.id,
        "tag": record.device.tag,
        "device_id": record.device_id,
        "device_status": record.device.status,
        "swap_id": record.swap_id,
        "fault_id": record.fault_id,
        "vendor": record.vendor,
        "sent_at": iso(record.sent_at),
        "expected_back": iso(record.expected_back),
        "returned_at": iso(record.returned_at),
        "outcome": record.outcome,
        "old_serial": record.old_serial,
        "new_serial": record.new_serial,
        "disposition": record.disposition,
        "note": record.note,
        "open": record.open,
        "created_by_id": record.created_by_id,
        "returned_by_id": record.returned_by_id,
    }


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(RmaQuery, location="query")
@blp.response(200, RmaPage)
def list_rma(args):
    """RMA records, newest first; open=true for units still at the vendor."""
    result = paginate(rma_service.list_query(args["open"]), args["page"], args["per_page"])
    return {**result, "items": [rma_view(r) for r in result["items"]]}


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(RmaIn)
@blp.response(201, RmaOut)
def create_rma(args):
    """Send a unit to repair without a swap (it leaves its room; no spare is put in)."""
    return rma_view(rma_service.create_rma(user=current_user, **args)), 201


@blp.route("/<int:rma_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, RmaOut)
def get_rma(rma_id):
    """One RMA record."""
    return rma_view(rma_service.get_rma(rma_id))


@blp.route("/<int:rma_id>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(RmaPatch)
@blp.response(200, RmaOut)
def update_rma(args, rma_id):
    """Fill in vendor, sent and expected-back dates."""
    return rma_view(rma_service.update_rma(rma_service.get_rma(rma_id), **args))


@blp.route("/<int:rma_id>/return", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(RmaReturnIn)
@blp.response(200, RmaOut)
def return_rma(args, rma_id):
    """The unit is back: outcome, new serial if replaced, and swap_back or keep (none if scrapped)."""
    args["returned_at"] = args.get("returned_at") or fault_service.current_time()
    record = rma_service.return_rma(rma_service.get_rma(rma_id), user=current_user, **args)
    return rma_view(record)
