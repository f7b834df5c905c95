"""Resolve and check a meeting's input (sites, engineers, room, times): 422 naming the field."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import BUREAU_TIERS, MEETING_PLATFORMS, Room, Site, User

# Sites a meeting can involve: the bureaus, not the contractor's store or depots.


def fail(field: str, message: str):
    raise Invalid(message, errors={"json": {field: [message]}})


def bureaus() -> list[Site]:
    return list(
        db.session.scalars(
            sa.select(Site)
            .where(Site.tier.in_(BUREAU_TIERS), Site.closed_at.is_(None))
            .order_by(Site.id)
        )
    )


def site_by_code(code: str, field: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        fail(field, f"Unknown site '{code}'.")
    return site


def participants(scope: str, prefecture: str | None, codes: list[str] | None) -> list[Site]:
    """The participating sites: all bureaus, one prefecture's, or the listed codes."""
    if scope == "all":
        return bureaus()
    if scope == "prefecture":
        if not prefecture:
            fail("prefecture_code", "Give the prefecture's region code for scope 'prefecture'.")
        found = [s for s in bureaus() if s.prefecture_code == prefecture]
        if not found:
            fail("prefecture_code", f"No site belongs to prefecture '{prefecture}'.")
        return found
    if not codes:
        fail("site_codes", "Give at least one site code for scope 'list'.")
    known = {s.code: s for s in bureaus()}
    unknown = [c for c in codes if c not in known]
    if unknown:
        fail("site_codes", f"Unknown site(s): {', '.join(unknown)}.")
    return [known[c] for c in dict.fromkeys(codes)]


def speaking(sites: list[Site], codes: list[str]) -> set[int]:
    """The speaking sites' ids; each must take part."""
    by_code = {s.code: s.id for s in sites}
    outside = [c for c in codes if c not in by_code]
    if outside:
        fail("speaking_codes", f"Not participating: {', '.join(outside)}.")
    return {by_code[c] for c in codes}


def engineers(ids: list[int]) -> list[User]:
    """Assigned users: each must exist, be active and have the engineer role."""
    found = {u.id: u for u in db.session.scalars(sa.select(User).where(User.id.in_(ids)))}
    for user_id in ids:
        user = found.get(user_id)
        if user is None:
            fail("engineer_ids", f"Unknown user {user_id}.")
        if user.role != "engineer" or not user.active:
            fail("engineer_ids", f"{user.display_name} ({user_id}) is not an active engineer.")
    return [found[i] for i in dict.fromkeys(ids)]


def room(room_id: int | None, host: Site) -> Room | None:
    if room_id is None:
        return None
    found = db.session.get(Room, room_id)
    if found is None:
        fail("host_room_id", f"Unknown room {room_id}.")
    if found.site_id != host.id:
        fail("host_room_id", f"Room {found.name} is not at the host site {host.name}.")
    return found


def times_and_platform(values: dict) -> None:
    """Ends after it starts; a platform exactly for software meetings."""
    if values["ends_at"] <= values["starts_at"]:
        fail("ends_at", "The meeting must end after it starts.")
    if values["kind"] == "software":
        if values.get("platform") not in MEETING_PLATFORMS:
            fail(
                "platform", f"A software meeting needs a platform: {', '.join(MEETING_PLATFORMS)}."
            )
    elif values.get("platform"):
        fail("platform", "Only software meetings have a platform.")
