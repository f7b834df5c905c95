"""A small scene for fault, swap and RMA tests: two rooms, installed cameras, spares in the store."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from server.extensions import db
from server.models import Device, Room, User, utcnow
from server.services.faults.spares import default_store_room, seed_spare_places
from server.services.sync.registry import RecordMeta


@dataclass
class Scene:
    room_a: Room
    room_b: Room
    store: Room
    faulty: Device  # L09 camera in room A
    other: Device  # L09 camera in room B
    spare: Device  # L09 spare in the store
    spare2: Device  # L09 spare in the store
    spare_terminal: Device  # L07 spare (another kind)
    speaker: Device  # L10 microphone in room A (another kind, same room)
    engineer: User
    engineer2: User
    supervisor: User


def build_scene(reference_data, factory) -> Scene:
    rooms = reference_data["rooms"]
    room_a, room_b = rooms[("520102", "main_conference")], rooms[("520103", "main_conference")]
    faulty = factory.device("L09", room=room_a, serial="CAM-A-1")
    other = factory.device("L09", room=room_b)
    speaker = factory.device("L10", room=room_a)
    spare = factory.device("L09", status="spare")
    spare2 = factory.device("L09", status="spare")
    spare_terminal = factory.device("L07", status="spare")
    seed_spare_places()
    db.session.commit()
    return Scene(
        room_a,
        room_b,
        default_store_room(),
        faulty,
        other,
        spare,
        spare2,
        spare_terminal,
        speaker,
        factory.user("engineer"),
        factory.user("engineer"),
        factory.user("supervisor"),
    )


def meta(user: User, uuid: str, when=None) -> RecordMeta:
    now = utcnow()
    client = when or now
    return RecordMeta(
        uuid=uuid,
        user=user,
        client_time=client,
        server_time=now,
        clock_skew_seconds=int((now - client) / timedelta(seconds=1)),
        lat=26.57,
        lon=106.71,
        accuracy_m=20.0,
        app_version="test",
        content_hash="0" * 64,
    )


def snapshot(*devices: Device) -> list[tuple]:
    """Room and status of each unit, fresh from the database."""
    db.session.expire_all()
    return [
        (db.session.get(Device, d.id).room_id, db.session.get(Device, d.id).status) for d in devices
    ]
