"""Chain of custody: where a unit has been, and which units stood in a room."""

from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.schemas_spares import DeviceCustodyOut, RoomCustodyOut
from server.security import ANY_ROLE
from server.services.core import custody
from server.services.core import devices as device_service

blp = Blueprint("custody", __name__, description="Chain of custody")


@blp.route("/devices/<tag>/custody")
@roles_required(*ANY_ROLE)
@blp.response(200, DeviceCustodyOut)
def device_custody(tag):
    """Every room and status the unit had (oldest first, with names), its faults and its repairs."""
    device = device_service.get_by_tag(tag)
    return {
        "tag": device.tag,
        "status": device.status,
        "room_id": device.room_id,
        "serial": device.serial,
        "events": custody.device_custody(device),
        "faults": custody.device_faults(device),
        "repairs": custody.device_repairs(device),
    }


@blp.route("/rooms/<int:room_id>/custody")
@roles_required(*ANY_ROLE)
@blp.response(200, RoomCustodyOut)
def room_custody(room_id):
    """Every unit that has stood in the room, from when and until when, with who."""
    return custody.room_custody(room_id)
