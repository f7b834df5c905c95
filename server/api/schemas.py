"""Marshmallow schemas shared by several resources."""

import marshmallow as ma

from server.api.out import Computed, Out, Timestamp


class UserOut(Out):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    role = ma.fields.String()
    active = ma.fields.Boolean()
    phone = ma.fields.String(allow_none=True)
    must_change_password = ma.fields.Boolean()
    reset_code_expires_at = Timestamp(allow_none=True)


class RoomOut(Out):
    id = ma.fields.Integer()
    site_id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    closed_at = Timestamp(allow_none=True)


class SiteOut(Out):
    id = ma.fields.Integer()
    code = ma.fields.String()
    name = ma.fields.String()
    tier = ma.fields.String()
    region_code = ma.fields.String()
    prefecture_code = ma.fields.String()
    address = ma.fields.String(allow_none=True)
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    closed_at = Timestamp(allow_none=True)
    closed_reason = ma.fields.String(allow_none=True)


class DeviceTypeOut(Out):
    id = ma.fields.Integer()
    code = ma.fields.String()
    kind = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    model = ma.fields.String(allow_none=True)
    manufacturer = ma.fields.String(allow_none=True)
    contract_line = ma.fields.Integer(allow_none=True)
    retired = ma.fields.Function(
        lambda t: t.retired_at is not None,
        metadata={"description": "retired: not offered for new devices, kept for history"},
    )


class DeviceOut(Out):
    id = ma.fields.Integer()
    tag = ma.fields.String()
    serial = ma.fields.String(allow_none=True)
    type_id = ma.fields.Integer()
    room_id = ma.fields.Integer(allow_none=True)
    site_id = Computed(
        lambda d: d.room.site_id if d.room else None, like=ma.fields.Integer(allow_none=True)
    )
    status = ma.fields.String()
    install_date = ma.fields.Date(allow_none=True)
    notes = ma.fields.String(allow_none=True)
    updated_at = Timestamp()


def page_of(item_schema: type[ma.Schema]) -> type[ma.Schema]:
    """A page envelope schema for OpenAPI: items, page, per_page, total."""
    return Out.from_dict(
        {
            "items": ma.fields.List(ma.fields.Nested(item_schema)),
            "page": ma.fields.Integer(),
            "per_page": ma.fields.Integer(),
            "total": ma.fields.Integer(),
        },
        name=f"{item_schema.__name__}Page",
    )
