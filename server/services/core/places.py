"""Sites and rooms."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Device, Region, Room, Site, utcnow

# Where the province's bureaus can stand: China's extent, so a swapped lat/lon is caught.
LAT_RANGE, LON_RANGE = (3.0, 54.0), (73.0, 136.0)


def add_room(site: Site, name: str, kind: str = "other") -> Room:
    refuse_if_closed(site)
    if db.session.scalar(sa.select(Room.id).where(Room.site_id == site.id, Room.name == name)):
        raise Conflict(
            f"{site.name} already has a room named '{name}'.",
            errors={"json": {"name": ["already exists at this site"]}},
        )
    room = Room(site_id=site.id, name=name, kind=kind)
    db.session.add(room)
    db.session.flush()
    return room


def site_by_code(code: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        raise NotFound(f"No site with code '{code}'.")
    return site


def _region_or_422(code: str) -> Region:
    region = db.session.get(Region, code)
    if region is None:
        raise Invalid(
            f"No region with the code '{code}' (a GB/T 2260 code).",
            errors={"json": {"region_code": ["unknown region (GB/T 2260 code)"]}},
        )
    return region


def create_site(code: str, name: str, tier: str, region_code: str, **more) -> Site:
    """A new site (bureau, store or depot); the code is unique and the region must exist;
    `more`: address, lat, lon."""
    if db.session.scalar(sa.select(Site.id).where(Site.code == code)):
        raise Conflict(
            f"The site code '{code}' is taken.", errors={"json": {"code": ["already taken"]}}
        )
    _region_or_422(region_code)
    site = Site(code=code, name=name, tier=tier, region_code=region_code)
    _check_point(site, more)
    for key, value in more.items():
        setattr(site, key, value)
    db.session.add(site)
    db.session.flush()
    return site


def _check_point(site: Site, fields: dict) -> None:
    """Coordinates come as a pair inside China (a lone or swapped value is refused)."""
    lat, lon = fields.get("lat", site.lat), fields.get("lon", site.lon)
    if (lat is None) != (lon is None):
        missing = "lon" if lon is None else "lat"
        raise Invalid(
            "Give both coordinates, or neither.",
            errors={"json": {missing: ["give lat and lon together"]}},
            code_name="point_incomplete",
        )
    for name, value, (low, high) in (("lat", lat, LAT_RANGE), ("lon", lon, LON_RANGE)):
        if value is not None and not low <= value <= high:
            raise Invalid(
                f"{name} {value} is outside China ({low}..{high}); are lat and lon swapped?",
                errors={"json": {name: [f"between {low} and {high}"]}},
                code_name="point_outside",
            )


def update_site(site: Site, **fields) -> Site:
    """Edit a site's name, tier, region, address or coordinates (the code stays: labels and
    history use it)."""
    if "region_code" in fields:
        _region_or_422(fields["region_code"])
    _check_point(site, fields)
    for key, value in fields.items():
        setattr(site, key, value)
    db.session.flush()
    return site


def update_room(site: Site, room_id: int, **fields) -> Room:
    """Rename a room or change its kind; the name stays unique at the site."""
    room = db.session.get(Room, room_id)
    if room is None or room.site_id != site.id:
        raise NotFound(f"{site.name} has no room {room_id}.")
    name = fields.get("name")
    if name and name != room.name:
        taken = sa.select(Room.id).where(Room.site_id == site.id, Room.name == name)
        if db.session.scalar(taken):
            raise Conflict(
                f"{site.name} already has a room named '{name}'.",
                errors={"json": {"name": ["already exists at this site"]}},
            )
    for key, value in fields.items():
        setattr(room, key, value)
    db.session.flush()
    return room


def refuse_if_closed(site: Site) -> None:
    if site.closed_at is not None:
        raise Conflict(
            f"{site.name} was closed; reopen it first.",
            errors={"json": {"code": ["closed site"]}},
            code_name="site_closed",
        )


def _devices_in(rooms) -> list[str]:
    """Tags of the units still standing in these rooms (retired ones stay as history)."""
    ids = [room.id for room in rooms]
    query = sa.select(Device.tag).where(Device.room_id.in_(ids), Device.status != "retired")
    return list(db.session.scalars(query.order_by(Device.tag))) if ids else []


def _refuse_in_use(what: str, tags: list[str], code: str) -> None:
    if tags:
        shown = ", ".join(tags[:10]) + (f" and {len(tags) - 10} more" if len(tags) > 10 else "")
        raise Invalid(
            f"{what} still has {len(tags)} unit(s) ({shown}); move or retire them first.",
            errors={"json": {"code": [f"{len(tags)} unit(s) still here"]}},
            code_name=code,
        )


def close_site(site: Site, reason: str) -> Site:
    """Close a bureau that moved or merged: its history stays; no unit may still stand there."""
    refuse_if_closed(site)
    _refuse_in_use(site.name, _devices_in(site.rooms), "site_in_use")
    now = utcnow()
    site.closed_at, site.closed_reason = now, reason
    for room in site.rooms:
        room.closed_at = room.closed_at or now
    db.session.flush()
    return site


def reopen_site(site: Site) -> Site:
    """Undo a close (the rooms closed with it open again)."""
    if site.closed_at is None:
        raise Conflict(f"{site.name} is open.", code_name="site_open")
    for room in site.rooms:
        if room.closed_at == site.closed_at:
            room.closed_at = None
    site.closed_at, site.closed_reason = None, None
    db.session.flush()
    return site


def close_room(site: Site, room_id: int) -> Room:
    """Close a room nobody uses any more; refused while a unit stands in it."""
    room = db.session.get(Room, room_id)
    if room is None or room.site_id != site.id:
        raise NotFound(f"{site.name} has no room {room_id}.")
    _refuse_in_use(f"{site.name} {room.name}", _devices_in([room]), "room_in_use")
    room.closed_at = room.closed_at or utcnow()
    db.session.flush()
    return room
