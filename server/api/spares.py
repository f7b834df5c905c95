"""The spare pool: counts by type and holding place, low-stock warnings and thresholds."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.schemas_spares import SparePoolOut, ThresholdOut
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.faults import spares as spare_service

blp = Blueprint("spares", __name__, url_prefix="/spares", description="Spare pool")


class SpareThresholdIn(ma.Schema):
    min_count = ma.fields.Integer(required=True, validate=ma.validate.Range(min=0, max=1000))


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.response(200, SparePoolOut)
def spare_pool():
    """Spares by type and place (store or depot), and the types below their low-stock threshold."""
    return spare_service.pool_summary()


@blp.route("/thresholds/<type_code>", methods=["PUT"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(SpareThresholdIn)
@blp.response(200, ThresholdOut)
def set_threshold(args, type_code):
    """Warn when fewer than min_count spares of this type are in the pool."""
    row = spare_service.set_threshold(type_code, args["min_count"])
    return {"type_code": type_code, "min_count": row.min_count}
