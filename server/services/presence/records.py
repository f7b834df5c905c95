"""Presence of faults and swaps (rules in presence/flags.py): a record's own position and clock
against the point of its site (a fault's site; a swap's room's site), read a page at once."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Room
from server.services.presence import flags


def _room_sites(room_ids: set) -> dict:
    room_ids = {r for r in room_ids if r is not None}
    if not room_ids:
        return {}
    query = sa.select(Room.id, Room.site_id).where(Room.id.in_(sorted(room_ids)))
    return dict(db.session.execute(query).all())


def annotate_faults(faults: list) -> list:
    """Set each fault's `_presence` (one query for the page's site points)."""
    points = flags.site_points({f.site_id for f in faults})
    for fault in faults:
        fault._presence = flags.presence(fault, points.get(fault.site_id))
    return faults


def annotate_swaps(swaps: list) -> list:
    """Set each swap's `_presence`: the site of the room the swap was made in (two queries)."""
    sites = _room_sites({s.room_id for s in swaps})
    points = flags.site_points(set(sites.values()))
    for swap in swaps:
        swap._presence = flags.presence(swap, points.get(sites.get(swap.room_id)))
    return swaps


def of_fault(fault) -> dict | None:
    if not hasattr(fault, "_presence"):
        annotate_faults([fault])
    return fault._presence


def of_swap(swap) -> dict | None:
    if not hasattr(swap, "_presence"):
        annotate_swaps([swap])
    return swap._presence
