"""The spare pool: holding places (store-tier sites), counts by type and place, low-stock warnings."""

from __future__ import annotations

import sqlalchemy as sa

from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import Device, DeviceType, Region, Room, Site, SpareThreshold
from server.services.core import moves
from server.services.core.reason_codes import custody

STORE_CODE = "STORE-GZ"
STORE_NAME = "承包方备件库"
STORE_ROOM = "备件库"
DEPOT_PREFIX = "DEPOT-"
DEFAULT_MIN_SPARES = 1


def _store_site(code: str, name: str, region_code: str) -> Site:
    site = db.session.scalar(sa.select(Site).where(Site.code == code))
    if site is None:
        site = Site(code=code, name=name, tier="store", region_code=region_code)
        db.session.add(site)
        db.session.flush()
    room = db.session.scalar(sa.select(Room).where(Room.site_id == site.id, Room.kind == "store"))
    if room is None:
        db.session.add(Room(site_id=site.id, name=STORE_ROOM, kind="store"))
        db.session.flush()
    return site


def seed_spare_places(depots: bool = False) -> Site:
    """The contractor's store (and optionally a depot per prefecture); loose spares go to the store.

    Also sets a low-stock threshold of 1 for every type that has spares. Idempotent.
    """
    province = db.session.scalar(sa.select(Region.code).where(Region.level == "province"))
    store = _store_site(STORE_CODE, STORE_NAME, province)
    if depots:
        prefectures = db.session.scalars(
            sa.select(Region)
            .where(Region.level.in_(("prefecture", "new-area")))
            .order_by(Region.code)
        )
        for region in prefectures:
            _store_site(f"{DEPOT_PREFIX}{region.code}", f"{region.name}备件点", region.code)
    store_room = store_room_of(store)
    loose = db.session.scalars(
        sa.select(Device).where(Device.status == "spare", Device.room_id.is_(None))
    ).all()
    for device in loose:
        moves.move(device, custody("spare_stocked"), room_id=store_room.id)
    spare_types = db.session.scalars(
        sa.select(Device.type_id).where(Device.status == "spare").distinct()
    )
    for type_id in spare_types:
        if not db.session.scalar(
            sa.select(SpareThreshold.id).where(SpareThreshold.type_id == type_id)
        ):
            db.session.add(SpareThreshold(type_id=type_id, min_count=DEFAULT_MIN_SPARES))
    db.session.flush()
    return store


def store_room_of(site: Site) -> Room:
    room = db.session.scalar(
        sa.select(Room).where(Room.site_id == site.id, Room.kind == "store").order_by(Room.id)
    )
    if room is None:
        raise NotFound(f"{site.name} has no store room.")
    return room


def default_store_room() -> Room:
    """The contractor's store room (created on first use, so spares always have a place)."""
    site = db.session.scalar(sa.select(Site).where(Site.code == STORE_CODE))
    if site is None:
        site = seed_spare_places()
    return store_room_of(site)


def is_holding_room(room: Room | None) -> bool:
    return room is not None and room.site.tier == "store"


def holding_room(room_id: int | None, field: str = "store_room_id") -> Room | None:
    """A room where spares may be held (a room of a store-tier site), or None if not given."""
    if room_id is None:
        return None
    room = db.session.get(Room, room_id)
    if room is None or not is_holding_room(room):
        raise Invalid(
            f"Room {room_id} is not a spare holding place (a room of the store or a depot).",
            errors={"json": {field: ["not a room of a store or depot"]}},
        )
    return room


def pool_rows() -> list[Device]:
    """Every spare with its holding place, by type then tag."""
    return list(
        db.session.scalars(
            sa.select(Device)
            .join(DeviceType)
            .where(Device.status == "spare")
            .order_by(DeviceType.code, Device.tag)
        )
    )


def thresholds() -> dict[int, int]:
    return dict(
        db.session.execute(sa.select(SpareThreshold.type_id, SpareThreshold.min_count)).all()
    )


def pool_summary() -> dict:
    """Counts by type and place, and the types below their low-stock threshold."""
    spares = pool_rows()
    by_type: dict[str, dict] = {}
    for device in spares:
        entry = by_type.setdefault(
            device.type.code,
            {
                "type_code": device.type.code,
                "name_zh": device.type.name_zh,
                "name_en": device.type.name_en,
                "kind": device.type.kind,
                "count": 0,
                "places": {},
            },
        )
        entry["count"] += 1
        site = device.room.site if device.room else None
        key = site.code if site else "-"
        place = entry["places"].setdefault(
            key,
            {
                "site_code": site.code if site else None,
                "site_name": site.name if site else None,
                "room_id": device.room_id,
                "count": 0,
                "tags": [],
            },
        )
        place["count"] += 1
        place["tags"].append(device.tag)
    minimums = thresholds()
    low = []
    for type_id, minimum in minimums.items():
        dtype = db.session.get(DeviceType, type_id)
        count = by_type.get(dtype.code, {}).get("count", 0)
        if count < minimum:
            low.append(
                {
                    "type_code": dtype.code,
                    "name_zh": dtype.name_zh,
                    "name_en": dtype.name_en,
                    "count": count,
                    "min_count": minimum,
                }
            )
    types = [
        {
            **entry,
            "places": list(entry["places"].values()),
            "min_count": minimums.get(spares_type_id(entry["type_code"])),
        }
        for entry in by_type.values()
    ]
    return {
        "total": len(spares),
        "types": types,
        "low_stock": sorted(low, key=lambda row: row["type_code"]),
        "unplaced": [d.tag for d in spares if not is_holding_room(d.room)],
    }


def low_stock() -> list[dict]:
    """The types below their low-stock threshold, in one grouped query (the dashboard's tile)."""
    count = (
        sa.select(sa.func.count(Device.id))
        .where(Device.type_id == SpareThreshold.type_id, Device.status == "spare")
        .scalar_subquery()
    )
    rows = db.session.execute(
        sa.select(
            DeviceType.code, DeviceType.name_zh, DeviceType.name_en, count, SpareThreshold.min_count
        )
        .join(DeviceType, DeviceType.id == SpareThreshold.type_id)
        .where(count < SpareThreshold.min_count)
        .order_by(DeviceType.code)
    )
    keys = ("type_code", "name_zh", "name_en", "count", "min_count")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def spares_type_id(code: str) -> int | None:
    return db.session.scalar(sa.select(DeviceType.id).where(DeviceType.code == code))


def set_threshold(type_code: str, min_count: int) -> SpareThreshold:
    type_id = spares_type_id(type_code)
    if type_id is None:
        raise NotFound(f"Unknown device type '{type_code}'.")
    row = db.session.scalar(sa.select(SpareThreshold).where(SpareThreshold.type_id == type_id))
    if row is None:
        row = SpareThreshold(type_id=type_id)
        db.session.add(row)
    row.min_count = min_count
    db.session.flush()
    return row
