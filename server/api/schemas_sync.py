"""Response schemas of the sync protocol: the field pack (pull) and the per-record push answer.

The pack's rows are the dicts of the registered pack sections (services/field/pack.py,
fault_records.py, retag.py, plans_sync.py); docs/sync.md explains them.
"""

import marshmallow as ma

from server.api.out import Day, Out, Timestamp, enum, optional
from server.api.plans import EntryOut
from server.api.schemas_faults import FaultCore
from server.api.schemas_meetings import MeetingOut
from server.models import (
    DEVICE_KINDS,
    DEVICE_STATUSES,
    INSPECTION_KINDS,
    ITEM_TYPES,
    ROOM_KINDS,
    SITE_CHECK_DEVICE_KIND,
    SITE_TIERS,
)

Text = ma.fields.String
Int = ma.fields.Integer
PUSH_STATUSES = ("created", "duplicate", "conflict", "rejected")


def _rows(schema, description: str) -> ma.fields.List:
    return ma.fields.List(ma.fields.Nested(schema), metadata={"description": description})


class PackSite(Out):
    id = Int()
    code = Text()
    name = Text()
    tier = enum(SITE_TIERS)
    region_code = Text(metadata={"description": "county (region) code, as in GET /sites"})
    prefecture_code = Text(
        allow_none=True, metadata={"description": "prefecture code, as in GET /sites"}
    )


class PackRoom(Out):
    id = Int()
    site_id = Int()
    name = Text()
    kind = enum(ROOM_KINDS)


class PackDeviceType(Out):
    id = Int()
    code = Text()
    kind = enum(DEVICE_KINDS)
    name_zh = Text()
    name_en = Text()
    model = Text(allow_none=True)


class PackDevice(Out):
    id = Int()
    tag = Text()
    type_id = Int()
    room_id = Int(allow_none=True)
    status = enum(DEVICE_STATUSES)
    serial = Text(allow_none=True)


class PackItem(Out):
    """A checklist item; unit/min/max only when set, photo_required only when true, required
    only when false."""

    key = Text()
    section = Text()
    label_zh = Text()
    label_en = Text()
    type = enum(ITEM_TYPES)
    unit = optional(Text())
    min = optional(ma.fields.Float())
    max = optional(ma.fields.Float())
    photo_required = optional(ma.fields.Boolean())
    required = optional(ma.fields.Boolean())


class PackTemplate(Out):
    id = Int()
    key = Text()
    version = Int()
    device_kind = enum((*DEVICE_KINDS, SITE_CHECK_DEVICE_KIND))  # room: the site check
    inspection_kind = enum(INSPECTION_KINDS)
    name_zh = Text()
    name_en = Text()
    items = ma.fields.List(ma.fields.Nested(PackItem))


class PackSpare(Out):
    id = Int()
    tag = Text()
    type_code = Text()
    type_id = Int()
    room_id = Int(allow_none=True)
    site_code = Text(allow_none=True)
    site_name = Text(allow_none=True)


class PackRma(Out):
    id = Int()
    device_id = Int()
    tag = Text()
    swap_id = Int(allow_none=True)
    fault_id = Int(allow_none=True)
    vendor = Text(allow_none=True)
    sent_at = Timestamp(allow_none=True)
    expected_back = Day(allow_none=True)
    returned_at = Timestamp(allow_none=True)


class PackTagAlias(Out):
    id = Int()
    tag = Text(metadata={"description": "the retired tag"})
    device_id = Int()
    retired_at = Timestamp()
    reason = Text()


class PackDeleted(Out):
    """Ids to drop since the cursor (only in a delta pack)."""

    templates = optional(ma.fields.List(Int(), metadata={"description": "deactivated templates"}))
    spares = optional(ma.fields.List(Int(), metadata={"description": "units that left the pool"}))


class PackSla(Out):
    """The contract's fault clocks in seconds (server/services/faults/sla.py); the phone's sla.js
    keeps only the arithmetic."""

    response_bands = ma.fields.List(
        ma.fields.List(Int(allow_none=True)),
        metadata={
            "description": "[[seconds or null (no limit), points], ...]: the band a response time falls in"
        },
    )
    response_target = Int()
    work_limit = Int()
    spare_limit = Int()
    spare_limit_urgent = Int()
    handling_limit = Int()
    warning_windows = ma.fields.Dict(
        keys=Text(),
        values=Int(),
        metadata={
            "description": "clock name -> seconds before its limit that it counts as about to breach"
        },
    )


class PackFieldRules(Out):
    site_check_kind = Text(metadata={"description": "the room checklist's template key"})
    unknown_device_kind = Text(
        metadata={"description": "the device kind whose templates check a unit not in the pack"}
    )
    visit_kinds = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(enum(INSPECTION_KINDS)),
        metadata={"description": "site tier -> the inspection kinds its sites can have"},
    )


class PackConstants(Out):
    sla = ma.fields.Nested(PackSla)
    field = ma.fields.Nested(PackFieldRules)


class FieldPackOut(Out):
    """The field pack: everything (full) or the rows changed since `cursor` (docs/sync.md)."""

    cursor = Text(metadata={"description": "send it back as ?cursor= next time"})
    full = ma.fields.Boolean()
    server_time = Timestamp()
    sites = _rows(PackSite, "bureaus, store and depots")
    rooms = _rows(PackRoom, "rooms of the sites")
    device_types = _rows(PackDeviceType, "device types")
    devices = _rows(PackDevice, "every registered unit")
    templates = _rows(PackTemplate, "active checklist templates")
    tag_aliases = _rows(PackTagAlias, "retired tags and the device that carries a new one")
    faults = _rows(FaultCore, "open faults (full pack) or every changed one")
    spares = _rows(PackSpare, "spares in the pool")
    rma = _rows(PackRma, "units at the vendor (full pack) or every changed record")
    plans = _rows(EntryOut, "the user's plan entries (all of them for supervisors)")
    meetings = _rows(
        MeetingOut,
        "the user's scheduled meetings of the next 14 days with their due checks "
        "(every engineer's for supervisors); sent whole in every pull",
    )
    deleted = ma.fields.Nested(PackDeleted)
    constants = ma.fields.Nested(
        PackConstants,
        metadata={"description": "rules the phone needs offline, sent with every pull"},
    )


class PushResultOut(Out):
    """One answer per pushed record, in the order sent."""

    uuid = Text(allow_none=True, metadata={"description": "null when the record had none"})
    status = enum(PUSH_STATUSES)
    id = optional(Int(allow_none=True, metadata={"description": "the stored object"}))
    conflict_id = optional(
        Int(allow_none=True, metadata={"description": "the kept version (conflict)"})
    )
    code = optional(Text(metadata={"description": "why rejected: invalid, busy, integrity, ..."}))
    reason = optional(Text())
    errors = optional(ma.fields.Dict(metadata={"description": "field -> messages (rejected)"}))
    clock_skew_seconds = optional(Int(metadata={"description": "not for rejected records"}))


class PushOut(Out):
    server_time = Timestamp()
    clock_skew_seconds = Int()
    clock_warning = ma.fields.Boolean()
    results = ma.fields.List(ma.fields.Nested(PushResultOut))
