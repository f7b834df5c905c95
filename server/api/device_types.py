"""Device types (kinds of equipment, mostly contract lines)."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.api.base import QueryArgs, roles_required
from server.api.schemas import DeviceTypeOut
from server.extensions import db
from server.models import DEVICE_KINDS, DeviceType
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.core import device_types as type_service

blp = Blueprint("device_types", __name__, url_prefix="/device-types", description="Device types")


class TypeQuery(QueryArgs):
    kind = ma.fields.String(validate=ma.validate.OneOf(DEVICE_KINDS))


class TypeIn(ma.Schema):
    code = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(r"^[A-Za-z0-9_-]{2,32}$", error="2-32 letters, digits, _ or -"),
    )
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(DEVICE_KINDS))
    name_zh = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))
    name_en = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=128))
    model = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    manufacturer = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    contract_line = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=999))


class TypePatch(ma.Schema):
    kind = ma.fields.String(validate=ma.validate.OneOf(DEVICE_KINDS))
    name_zh = ma.fields.String(validate=ma.validate.Length(min=1, max=128))
    name_en = ma.fields.String(validate=ma.validate.Length(min=1, max=128))
    model = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=128))
    manufacturer = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    contract_line = ma.fields.Integer(allow_none=True, validate=ma.validate.Range(min=1, max=999))
    retired = ma.fields.Boolean(
        metadata={"description": "true: no longer offered for new devices (history kept)"}
    )


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(TypeIn)
@blp.response(201, DeviceTypeOut)
def create_type(args):
    """Create a device type (kind, model, manufacturer, contract line)."""
    return type_service.create_type(**args)


@blp.route("/<code>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(TypePatch)
@blp.response(200, DeviceTypeOut)
def update_type(args, code):
    """Edit a device type."""
    return type_service.update_type(type_service.get_type(code), **args)


@blp.route("/<code>", methods=["DELETE"])
@roles_required(*MANAGER_ROLES)
@blp.response(204)
def delete_type(code):
    """Delete a device type no unit ever had; one in use answers 409 type_in_use (retire it)."""
    type_service.delete_type(type_service.get_type(code))


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
