"""Devices: list and filter, read by tag, register, edit, move, retire, and custody history."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import PageArgs, db_id, paginate, roles_required
from server.api.out import Computed, Out, Timestamp
from server.api.schemas import DeviceOut, page_of
from server.models import DEVICE_STATUSES
from server.security import ANY_ROLE, MANAGER_ROLES
from server.services.core import device_changes
from server.services.core import devices as device_service

blp = Blueprint("devices", __name__, url_prefix="/devices", description="Devices")


class TagField(ma.fields.String):
    """An asset tag; normalised and checked against its check character."""

    def _deserialize(self, value, attr, data, **kwargs):
        from server import tags

        raw = super()._deserialize(value, attr, data, **kwargs)
        try:
            return tags.validate(raw)
        except tags.TagError as exc:
            raise ma.ValidationError(str(exc)) from None


class DeviceQuery(PageArgs):
    region = ma.fields.String(metadata={"description": "county or prefecture code"})
    site = ma.fields.String(metadata={"description": "site code"})
    type = ma.fields.String(metadata={"description": "device type code"})
    kind = ma.fields.String()
    status = ma.fields.String(validate=ma.validate.OneOf(DEVICE_STATUSES))
    tag = ma.fields.String(metadata={"description": "tag prefix"})
    serial = ma.fields.String(
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "serial number, exact (case-insensitive)"},
    )
    q = ma.fields.String(
        validate=ma.validate.Length(min=1, max=64),
        metadata={
            "description": "search: a case-insensitive part of the tag, serial, device type (name, model, "
            "code) or site (name, code); combines with the other filters"
        },
    )


class DeviceIn(ma.Schema):
    tag = TagField(metadata={"description": "omit to issue a new tag"})
    serial = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    type_code = ma.fields.String(required=True)
    room_id = db_id(allow_none=True)
    status = ma.fields.String(
        load_default="in_service", validate=ma.validate.OneOf(DEVICE_STATUSES)
    )
    install_date = ma.fields.Date(allow_none=True)
    notes = ma.fields.String(allow_none=True)


class DevicePatch(ma.Schema):
    serial = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=64))
    type_code = ma.fields.String(
        validate=ma.validate.Length(min=1, max=32),
        metadata={"description": "a new type; refused once inspections were recorded"},
    )
    room_id = db_id(allow_none=True)
    status = ma.fields.String(validate=ma.validate.OneOf(DEVICE_STATUSES))
    install_date = ma.fields.Date(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    reason = ma.fields.String(
        validate=ma.validate.Length(max=256),
        metadata={"description": "why the room or status changed"},
    )


class MoveIn(ma.Schema):
    room_id = db_id(required=True)
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=256),
        metadata={"description": "why it moved: kept in the custody history"},
    )


class RetireIn(ma.Schema):
    reason = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=256),
        metadata={"description": "why it is retired: kept in the custody history"},
    )


class TypeBrief(Out):
    code = ma.fields.String()
    kind = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    model = ma.fields.String(allow_none=True)


class RoomBrief(Out):
    id = ma.fields.Integer()
    name = ma.fields.String()


class SiteBrief(Out):
    code = ma.fields.String()
    name = ma.fields.String()


class AliasWarning(Out):
    """What a client shows when someone scans a retired label (docs/labels.md)."""

    code = ma.fields.String(metadata={"enum": ["retired_alias"]})
    retired_alias = ma.fields.String()
    current_tag = ma.fields.String()
    retired_at = Timestamp()
    reason = ma.fields.String()
    message = ma.fields.String()


class DeviceDetail(DeviceOut):
    type = Computed(
        lambda d: {
            "code": d.type.code,
            "kind": d.type.kind,
            "name_zh": d.type.name_zh,
            "name_en": d.type.name_en,
            "model": d.type.model,
        },
        like=ma.fields.Nested(TypeBrief),
    )
    room = Computed(
        lambda d: d.room and {"id": d.room.id, "name": d.room.name},
        like=ma.fields.Nested(RoomBrief, allow_none=True),
    )
    site = Computed(
        lambda d: d.room and {"code": d.room.site.code, "name": d.room.site.name},
        like=ma.fields.Nested(SiteBrief, allow_none=True),
    )
    warning = Computed(
        lambda d: getattr(d, "tag_warning", None),
        like=ma.fields.Nested(AliasWarning, allow_none=True),
        metadata={"description": "set when looked up by a retired tag"},
    )


class EventOut(Out):
    id = ma.fields.Integer()
    at = Timestamp()
    actor_id = ma.fields.Integer(allow_none=True)
    from_room_id = ma.fields.Integer(allow_none=True)
    to_room_id = ma.fields.Integer(allow_none=True)
    from_status = ma.fields.String(allow_none=True)
    to_status = ma.fields.String()
    reason = ma.fields.String(allow_none=True)


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(DeviceQuery, location="query")
@blp.response(200, page_of(DeviceOut))
def list_devices(args):
    """Devices filtered by region, site, type, kind, status, tag prefix, serial, or searched with q; paginated."""
    page, per_page = args.pop("page"), args.pop("per_page")
    return paginate(device_service.filtered_query(**args), page, per_page)


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(DeviceIn)
@blp.response(201, DeviceDetail)
def create_device(args):
    """Register a device; a tag is issued when none is given."""
    return device_service.create_device(**args)


@blp.route("/<tag>")
@roles_required(*ANY_ROLE)
@blp.response(200, DeviceDetail)
def get_device(tag):
    """One device by its tag (typed by hand: normalised and checked)."""
    return device_service.get_by_tag(tag)


@blp.route("/<tag>", methods=["PATCH"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(DevicePatch)
@blp.response(200, DeviceDetail)
def update_device(args, tag):
    """Edit a device; a room or status change is kept in its history with the reason. A retired
    device keeps its room and status; retiring waits for its open faults; the type stays once
    inspections were recorded against it."""
    return device_changes.update_device(device_service.get_by_tag(tag), **args)


@blp.route("/<tag>/move", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(MoveIn)
@blp.response(200, DeviceDetail)
def move_device(args, tag):
    """Move a device to a room with a reason (a custody event); a retired device is refused."""
    return device_changes.move_device(device_service.get_by_tag(tag), **args)


@blp.route("/<tag>/retire", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(RetireIn)
@blp.response(200, DeviceDetail)
def retire_device(args, tag):
    """Retire a device with a reason (a custody event); refused while it has an open fault."""
    return device_changes.retire_device(device_service.get_by_tag(tag), **args)


@blp.route("/<tag>/history")
@roles_required(*ANY_ROLE)
@blp.response(200, EventOut(many=True))
def device_history(tag):
    """Every room and status the unit has had, with who and when."""
    return device_service.get_by_tag(tag).events
