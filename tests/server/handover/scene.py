"""A small period of records for the package tests: a visit, an inspection with a failed
item (a note that looks like a formula), a fault, and two stored photos."""

from __future__ import annotations

import hashlib
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from PIL import Image

from server.extensions import db
from server.models import Fault, Inspection, InspectionResult, Visit
from server.services.core.photo_store import get_store

WHEN = datetime(2025, 6, 10, 2, 0, tzinfo=UTC)  # 10:00 in Guiyang
FORMULA_NOTE = '=HYPERLINK("http://evil.example","click")'


@dataclass
class Scene:
    photos: list[str]
    inspection_id: int
    fault_id: int


def jpeg(seed: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), (seed % 256, 40, 90)).save(out, "JPEG")
    return out.getvalue()


def store_photo(data: bytes) -> str:
    sha = hashlib.sha256(data).hexdigest()
    get_store().put_stream(sha, io.BytesIO(data), 10_000_000)
    return sha


def _field(user) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "user_id": user.id,
        "client_time": WHEN,
        "server_time": WHEN,
        "content_hash": "0" * 64,
    }


def build(reference_data, factory) -> Scene:
    site = reference_data["sites"]["520102"]
    room = reference_data["rooms"][("520102", "main_conference")]
    device = factory.device("L09", room=room)
    engineer = factory.user("engineer")
    photos = [store_photo(jpeg(1)), store_photo(jpeg(2))]
    visit = Visit(site_id=site.id, inspection_kind="quarterly", started_at=WHEN, **_field(engineer))
    db.session.add(visit)
    db.session.flush()
    inspection = Inspection(
        visit_id=visit.id,
        visit_uuid=visit.uuid,
        device_id=device.id,
        tag=device.tag,
        inspection_kind="quarterly",
        outcome="fail",
        photos=[photos[0]],
        **_field(engineer),
    )
    db.session.add(inspection)
    db.session.flush()
    db.session.add(
        InspectionResult(
            inspection_id=inspection.id,
            item_key="picture",
            outcome="fail",
            note=FORMULA_NOTE,
            photos=[photos[1]],
        )
    )
    fault = Fault(
        device_id=device.id,
        site_id=site.id,
        description="无图像",
        reported_at=WHEN,
        photos=[photos[0]],
        **_field(engineer),
    )
    db.session.add(fault)
    db.session.commit()
    return Scene(photos, inspection.id, fault.id)
