"""Devices: issue tags, register, look up and filter (edits, moves, retiring: device_changes.py)."""

from __future__ import annotations

import sqlalchemy as sa

from server import tags
from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Device, DeviceType, Region, Room, Site, TagAlias
from server.periods import iso
from server.services.core import moves


def next_tag() -> str:
    """The next unissued tag, derived from the count of devices (deterministic); never a retired one."""
    n = db.session.scalar(sa.select(sa.func.count(Device.id)))
    while True:
        tag = tags.make_tag(n)
        if not tag_in_use(tag):
            return tag
        n += 1


def tag_in_use(tag: str) -> bool:
    """True when a device carries the tag or once carried it (a retired alias is never reissued)."""
    return bool(
        db.session.scalar(sa.select(Device.id).where(Device.tag == tag))
        or db.session.scalar(sa.select(TagAlias.id).where(TagAlias.tag == tag))
    )


def get_by_tag(raw: str) -> Device:
    """The device carrying the tag, or the one a retired alias points to (then `tag_warning` says so)."""
    try:
        tag = tags.validate(raw)
    except tags.TagError as exc:
        raise NotFound(str(exc)) from None
    device = db.session.scalar(sa.select(Device).where(Device.tag == tag))
    if device is not None:
        device.tag_warning = None  # the session may hold the object from an earlier alias lookup
        return device
    alias = db.session.scalar(sa.select(TagAlias).where(TagAlias.tag == tag))
    if alias is None:
        raise NotFound(f"No device has the tag {tag}.")
    device = db.session.get(Device, alias.device_id)
    device.tag_warning = alias_warning(alias, device)
    return device


def alias_warning(alias: TagAlias, device: Device) -> dict:
    """What a client shows when someone scans a retired label (docs/labels.md)."""
    return {
        "code": "retired_alias",
        "retired_alias": alias.tag,
        "current_tag": device.tag,
        "retired_at": iso(alias.retired_at),
        "reason": alias.reason,
        "message": f"Tag {alias.tag} was retired ({alias.reason}); this device now carries {device.tag}.",
    }


def type_by_code(code: str) -> DeviceType:
    dtype = db.session.scalar(sa.select(DeviceType).where(DeviceType.code == code))
    if dtype is None:
        raise Invalid(
            f"Unknown device type '{code}'.",
            errors={"json": {"type_code": [f"unknown device type '{code}'"]}},
            code_name="unknown_type",
        )
    return dtype


def check_room(room_id: int | None) -> None:
    """A room a unit may be put in: it exists and is not closed."""
    room = db.session.get(Room, room_id) if room_id is not None else None
    if room_id is not None and room is None:
        raise Invalid(
            f"No room {room_id}.",
            errors={"json": {"room_id": ["no such room"]}},
            code_name="unknown_room",
        )
    if room is not None and room.closed_at is not None:
        raise Invalid(
            f"Room {room.name} of {room.site.name} is closed; pick an open room.",
            errors={"json": {"room_id": ["closed room"]}},
            code_name="room_closed",
        )


def check_unique(field: str, value: str | None, exclude_id: int | None = None) -> None:
    if value is None:
        return
    query = sa.select(Device.id).where(getattr(Device, field) == value)
    if exclude_id is not None:
        query = query.where(Device.id != exclude_id)
    if db.session.scalar(query):
        raise Conflict(
            f"Another device already has {field} '{value}'.",
            errors={"json": {field: ["already used by another device"]}},
            code_name="duplicate",
        )


def create_device(
    type_code: str,
    tag: str | None = None,
    room_id: int | None = None,
    status: str = "in_service",
    **fields,
) -> Device:
    dtype = type_by_code(type_code)
    if dtype.retired_at is not None:
        raise Invalid(
            f"Device type '{type_code}' is retired; new units take a current type.",
            errors={"json": {"type_code": ["retired type"]}},
            code_name="type_retired",
        )
    check_room(room_id)
    tag = tag or next_tag()
    check_unique("tag", tag)
    if db.session.scalar(sa.select(TagAlias.id).where(TagAlias.tag == tag)):
        raise Conflict(
            f"Tag {tag} was retired from another device and is never reissued.",
            errors={"json": {"tag": ["a retired tag; omit it to issue a new one"]}},
            code_name="retired_tag",
        )
    if "serial" in fields:
        fields["serial"] = blank_to_none(fields["serial"])
    check_unique("serial", fields.get("serial"))
    device = Device(tag=tag, type_id=dtype.id, room_id=room_id, status=status, **fields)
    moves.register(device)
    db.session.flush()
    return device


def blank_to_none(value: str | None) -> str | None:
    """A serial typed as spaces is no serial (two such would clash as duplicates)."""
    value = value.strip() if value is not None else None
    return value or None


def filtered_query(
    region: str | None = None,
    site: str | None = None,
    type: str | None = None,
    kind: str | None = None,
    status: str | None = None,
    tag: str | None = None,
    serial: str | None = None,
    q: str | None = None,
):
    """A select of devices matching every given filter, ordered by tag. `q` is a case-insensitive
    substring of the tag, serial, type (names, model, code) or site (name, code); `serial` exact,
    case-insensitive."""
    query = sa.select(Device).order_by(Device.tag)
    if region or site or q:
        # Outer joins: a device in no room (e.g. not yet placed) is still found by q.
        query = query.outerjoin(Room, Device.room_id == Room.id).outerjoin(Site).outerjoin(Region)
        if site:
            query = query.where(Site.code == site)
        if region:
            query = query.where(sa.or_(Region.code == region, Region.parent_code == region))
    if type or kind or q:
        query = query.join(DeviceType)
        if type:
            query = query.where(DeviceType.code == type)
        if kind:
            query = query.where(DeviceType.kind == kind)
    if status:
        query = query.where(Device.status == status)
    if tag:
        query = query.where(Device.tag.startswith(tags.normalize(tag)))
    if serial:
        query = query.where(sa.func.lower(Device.serial) == serial.strip().lower())
    if q and (text := q.strip()):
        columns = (
            Device.serial,
            DeviceType.name_zh,
            DeviceType.name_en,
            DeviceType.model,
            DeviceType.code,
            Site.name,
            Site.code,
        )
        matches = [column.icontains(text, autoescape=True) for column in columns]
        if tag_part := tags.normalize(text):  # as a tag is read: upper case, O as 0, I/L as 1
            matches.append(Device.tag.contains(tag_part, autoescape=True))
        query = query.where(sa.or_(*matches))
    return query
