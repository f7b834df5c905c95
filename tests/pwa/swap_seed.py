"""Seed the units a swap test needs into a live server's database (in this process, through the services)."""

from __future__ import annotations

import io

import sqlalchemy as sa
from PIL import Image

from labels import LabelData, qr_url, render_png

TYPE_CODE = "L09"


def seed_units(db_url: str, faulty_count: int = 1) -> dict:
    """Faulty units installed in distinct bureau rooms, one spare of the same type in the store,
    and one spare of another kind of device (a swap the phone must refuse)."""
    from server import create_app
    from server.config import TestConfig
    from server.extensions import db
    from server.models import DeviceType, Room, Site
    from server.services.core.devices import create_device
    from server.services.faults import spares

    class SeedConfig(TestConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = db_url

    app = create_app(SeedConfig)
    with app.app_context():
        spares.seed_spare_places()
        store_room = spares.default_store_room()
        rooms = db.session.scalars(
            sa.select(Room)
            .join(Site)
            .where(Site.tier != "store", Room.kind != "store")
            .order_by(Room.id)
            .limit(faulty_count)
        ).all()
        faulty = [
            create_device(type_code=TYPE_CODE, room_id=room.id, status="in_service")
            for room in rooms
        ]
        spare = create_device(type_code=TYPE_CODE, room_id=store_room.id, status="spare")
        kind = db.session.scalar(sa.select(DeviceType.kind).where(DeviceType.code == TYPE_CODE))
        other = db.session.scalar(
            sa.select(DeviceType.code).where(DeviceType.kind != kind).order_by(DeviceType.id)
        )
        other_spare = create_device(type_code=other, room_id=store_room.id, status="spare")
        db.session.commit()
        seeded = {
            "faulty": [d.tag for d in faulty],
            "rooms": [r.id for r in rooms],
            "spare": spare.tag,
            "other_kind_spare": other_spare.tag,
            "store_room": store_room.id,
        }
        db.session.remove()
        db.engine.dispose()
    return seeded


def label_frame(base_url: str, tag: str, size=(640, 480)) -> Image.Image:
    """Our printed label for tag (labels package, 60x40 mm at 203 dpi) held in front of the camera."""
    png = render_png(
        LabelData(tag=tag, url=qr_url(base_url, tag), type_name="终端"), "roll-60x40", dpi=203
    )
    label = Image.open(io.BytesIO(png)).convert("RGB")
    label.thumbnail((size[0] - 40, size[1] - 40))
    frame = Image.new("RGB", size, (200, 200, 200))
    frame.paste(label, ((size[0] - label.width) // 2, (size[1] - label.height) // 2))
    return frame
