"""Sites and rooms."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Conflict, NotFound
from server.extensions import db
from server.models import Room, Site


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
