"""Sites and rooms."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, Invalid, NotFound
from server.extensions import db
from server.models import Region, Room, Site


def add_room(site: Site, name: str, kind: str = "other") -> Room:
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


def create_site(code: str, name: str, tier: str, region_code: str, address=None) -> Site:
    """A new site (bureau, store or depot); the code is unique and the region must exist."""
    if db.session.scalar(sa.select(Site.id).where(Site.code == code)):
        raise Conflict(
            f"The site code '{code}' is taken.", errors={"json": {"code": ["already taken"]}}
        )
    _region_or_422(region_code)
    site = Site(code=code, name=name, tier=tier, region_code=region_code, address=address)
    db.session.add(site)
    db.session.flush()
    return site


def update_site(site: Site, **fields) -> Site:
    """Edit a site's name, tier, region or address (the code stays: labels and history use it)."""
    if "region_code" in fields:
        _region_or_422(fields["region_code"])
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
