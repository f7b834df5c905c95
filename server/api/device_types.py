"""Device types (kinds of equipment, mostly contract lines)."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.api.base import QueryArgs, roles_required
from server.api.schemas import DeviceTypeOut
from server.extensions import db
from server.models import DEVICE_KINDS, DeviceType
from server.security import ANY_ROLE

blp = Blueprint("device_types", __name__, url_prefix="/device-types", description="Device types")


class TypeQuery(QueryArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(DEVICE_KINDS))


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(TypeQuery, location="query")
@blp.response(200, DeviceTypeOut(many=True))
def list_types(args):
    """All device types, optionally of one kind."""
    query = sa.select(DeviceType).order_by(DeviceType.contract_line, DeviceType.id)
    if "kind" in args:
        query = query.where(DeviceType.kind == args["kind"])
    return db.session.scalars(query).all()
