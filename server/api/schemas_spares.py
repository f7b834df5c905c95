"""Response schemas of swaps, RMA, the spare pool and the chain of custody.

They describe the dicts api/swaps.py (swap_view), api/rma.py (rma_view), services/faults/spares.py
(pool_summary) and services/core/custody.py build, key for key (see api/out.py).
"""

import marshmallow as ma

from server.api.out import Day, Out, Timestamp, enum
from server.api.schemas_faults import PRESENCE, RecordPresenceOut
from server.models import (
    DEVICE_STATUSES,
    FAULT_SEVERITIES,
    FAULT_STEPS,
    RMA_DISPOSITIONS,
    RMA_OUTCOMES,
    ROOM_KINDS,
    SITE_TIERS,
    SWAP_STATES,
    TAG_SOURCES,
)
from server.services.core.reason_codes import CUSTODY_CODES, FLAG_CODES

Text = ma.fields.String
Int = ma.fields.Integer


def _page(item: type[Out], name: str) -> type[Out]:
    return type(
        name,
        (Out,),
        {
            "items": ma.fields.List(ma.fields.Nested(item)),
            "page": Int(),
            "per_page": Int(),
            "total": Int(),
        },
    )


class SwapUnitOut(Out):
    id = Int()
    tag = Text()
    type_code = Text()
    status = enum(DEVICE_STATUSES)
    room_id = Int(allow_none=True)


PARAMS = {
    "description": "the code's parameters (tags, names, ids), as pwa/static/core/dict/reasons.js fills them in"
}


class SwapFlagOut(Out):
    """One reason a supervisor must decide, as a code (server/services/reason_codes.py)."""

    code = enum(FLAG_CODES)
    params = ma.fields.Dict(keys=ma.fields.String(), metadata=PARAMS)


class SwapOut(Out):
    id = Int()
    uuid = Text()
    state = enum(SWAP_STATES)
    flags = ma.fields.List(
        ma.fields.Nested(SwapFlagOut),
        metadata={"description": "why a supervisor must decide (empty unless flagged)"},
    )
    fault_id = Int(allow_none=True)
    fault_uuid = Text(allow_none=True)
    faulty = ma.fields.Nested(SwapUnitOut)
    spare = ma.fields.Nested(SwapUnitOut)
    room_id = Int(allow_none=True)
    spare_from_room_id = Int(allow_none=True)
    better_grade = ma.fields.Boolean()
    faulty_tag_source = enum(
        TAG_SOURCES, allow_none=True, metadata={"description": "null: unknown (an older app)"}
    )
    spare_tag_source = enum(TAG_SOURCES, allow_none=True)
    presence = ma.fields.Nested(RecordPresenceOut, allow_none=True, metadata=PRESENCE)
    swapped_at = Timestamp()
    user_id = Int()
    client_time = Timestamp()
    server_time = Timestamp()
    resolved_by_id = Int(allow_none=True)
    resolved_at = Timestamp(allow_none=True)
    resolution_note = Text(allow_none=True)


class RmaOut(Out):
    id = Int()
    tag = Text()
    device_id = Int()
    device_status = enum(DEVICE_STATUSES)
    swap_id = Int(allow_none=True)
    fault_id = Int(allow_none=True)
    vendor = Text(allow_none=True)
    sent_at = Timestamp(allow_none=True)
    expected_back = Day(allow_none=True)
    returned_at = Timestamp(allow_none=True)
    outcome = enum(RMA_OUTCOMES, allow_none=True)
    old_serial = Text(allow_none=True)
    new_serial = Text(allow_none=True)
    disposition = enum(RMA_DISPOSITIONS, allow_none=True)
    note = Text(allow_none=True)
    open = ma.fields.Boolean(metadata={"description": "still at the vendor"})
    created_by_id = Int(allow_none=True)
    returned_by_id = Int(allow_none=True)


SwapPage = _page(SwapOut, "SwapPage")
RmaPage = _page(RmaOut, "RmaPage")


class SparePlaceOut(Out):
    site_code = Text(allow_none=True, metadata={"description": "null: not in any room"})
    site_name = Text(allow_none=True)
    room_id = Int(allow_none=True)
    count = Int()
    tags = ma.fields.List(Text())


class SpareTypeOut(Out):
    type_code = Text()
    name_zh = Text()
    name_en = Text()
    kind = Text()
    count = Int()
    places = ma.fields.List(ma.fields.Nested(SparePlaceOut))
    min_count = Int(allow_none=True, metadata={"description": "low-stock threshold, if set"})


class LowStockOut(Out):
    type_code = Text()
    name_zh = Text()
    name_en = Text()
    count = Int()
    min_count = Int()


class SparePoolOut(Out):
    total = Int()
    types = ma.fields.List(ma.fields.Nested(SpareTypeOut))
    low_stock = ma.fields.List(ma.fields.Nested(LowStockOut))
    unplaced = ma.fields.List(
        Text(), metadata={"description": "tags of spares outside a store or depot"}
    )


class ThresholdOut(Out):
    type_code = Text()
    min_count = Int()


class ActorOut(Out):
    id = Int()
    username = Text()
    display_name = Text()


class CustodyRoomOut(Out):
    id = Int()
    name = Text()
    kind = enum(ROOM_KINDS)
    site_code = Text()
    site_name = Text()
    site_tier = enum(SITE_TIERS)


class CustodyEventOut(Out):
    id = Int()
    at = Timestamp()
    actor = ma.fields.Nested(ActorOut, allow_none=True)
    from_room = ma.fields.Nested(CustodyRoomOut, allow_none=True)
    to_room = ma.fields.Nested(CustodyRoomOut, allow_none=True)
    from_status = enum(DEVICE_STATUSES, allow_none=True)
    to_status = enum(DEVICE_STATUSES)
    reason = Text(allow_none=True, metadata={"description": "as a person typed it (device edits)"})
    reason_code = enum(CUSTODY_CODES, allow_none=True, metadata={"description": "why, as a code"})
    reason_params = ma.fields.Dict(keys=ma.fields.String(), allow_none=True, metadata=PARAMS)


class CustodyFaultOut(Out):
    id = Int()
    state = enum(FAULT_STEPS)
    severity = enum(FAULT_SEVERITIES)
    reported_at = Timestamp()
    resolved_at = Timestamp(allow_none=True)
    resolution = Text(allow_none=True)


class CustodyRepairOut(Out):
    id = Int()
    vendor = Text(allow_none=True)
    swap_id = Int(allow_none=True)
    fault_id = Int(allow_none=True)
    sent_at = Timestamp(allow_none=True)
    returned_at = Timestamp(allow_none=True)
    outcome = enum(RMA_OUTCOMES, allow_none=True)
    old_serial = Text(allow_none=True)
    new_serial = Text(allow_none=True)
    disposition = enum(RMA_DISPOSITIONS, allow_none=True)


class DeviceCustodyOut(Out):
    tag = Text()
    status = enum(DEVICE_STATUSES)
    room_id = Int(allow_none=True)
    serial = Text(allow_none=True)
    events = ma.fields.List(
        ma.fields.Nested(CustodyEventOut), metadata={"description": "oldest first"}
    )
    faults = ma.fields.List(ma.fields.Nested(CustodyFaultOut))
    repairs = ma.fields.List(ma.fields.Nested(CustodyRepairOut))


class StayOut(Out):
    """One unit's stay in the room; `until` and the removal fields are null while it is there."""

    device_id = Int()
    tag = Text()
    type_code = Text()
    since = Timestamp()
    placed_by = ma.fields.Nested(ActorOut, allow_none=True)
    placed_reason = Text(allow_none=True)
    placed_reason_code = enum(CUSTODY_CODES, allow_none=True)
    placed_reason_params = ma.fields.Dict(keys=ma.fields.String(), allow_none=True, metadata=PARAMS)
    status_on_arrival = enum(DEVICE_STATUSES)
    until = Timestamp(allow_none=True)
    removed_by = ma.fields.Nested(ActorOut, allow_none=True)
    removed_reason = Text(allow_none=True)
    removed_reason_code = enum(CUSTODY_CODES, allow_none=True)
    removed_reason_params = ma.fields.Dict(
        keys=ma.fields.String(), allow_none=True, metadata=PARAMS
    )
    left_as = enum(DEVICE_STATUSES, allow_none=True)


class RoomCustodyOut(Out):
    room = ma.fields.Nested(CustodyRoomOut)
    stays = ma.fields.List(ma.fields.Nested(StayOut))
    present = ma.fields.List(Text(), metadata={"description": "tags of the units there now"})
