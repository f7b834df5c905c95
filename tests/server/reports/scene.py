"""A fixture month for the reports: December 2025 at the province bureau and a county, with
a monthly inspection (one failed item with a photo), a quarterly visit, faults and a swap."""

from __future__ import annotations

import hashlib
import io
from datetime import UTC, datetime, timedelta

from PIL import Image

from server.extensions import db
from server.models import InspectionResult
from server.services.core.photo_store import get_store
from server.services.faults import lifecycle as faults
from server.services.faults import swaps
from server.services.faults.spares import seed_spare_places
from server.services.plans import plans
from server.services.reports import notes
from tests.server.plans_helpers import FieldFactory

DECEMBER = datetime(2025, 12, 10, 2, 0, tzinfo=UTC)  # 10:00 China time


def store_photo(colour=(200, 30, 30), size=(1600, 1200)) -> str:
    """A real JPEG in the photo store (large, so the report has to downscale it)."""
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "JPEG")
    data = out.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    get_store().put_stream(sha, io.BytesIO(data), len(data) + 1)
    return sha


def build(reference_data, factory) -> dict:
    sites = reference_data["sites"]
    rooms = reference_data["rooms"]
    province = plans.province_bureau()
    room = next(r for (code, _), r in rooms.items() if code == province.region_code)
    engineer = factory.user("engineer")
    terminal = factory.device("L07", room=room, serial="T-1")
    camera = factory.device("L09", room=room, serial="C-1")
    spare = factory.device("L09", status="spare", serial="C-S")
    seed_spare_places()
    photo = store_photo()
    field = FieldFactory()
    visit = field.visit(province, engineer, DECEMBER, kind="monthly")
    field.inspection(visit, terminal)
    failed = field.inspection(visit, camera, outcome="fail", failed_items=["preset_recall"])
    result = next(r for r in failed.results if r.outcome == "fail")
    result.photos, result.note = [photo], "预置位调用偏移约 5 度"
    county = sites["520102"]
    county_room = rooms[("520102", "main_conference")]
    county_camera = factory.device("L09", room=county_room, serial="C-2")
    quarterly = field.visit(county, engineer, DECEMBER + timedelta(days=1))
    bad = field.inspection(quarterly, county_camera, outcome="fail", failed_items=["focus"])
    db.session.add(
        InspectionResult(inspection=bad, item_key="zoom", outcome="fail", photos=[photo])
    )
    late = faults.create_fault(
        user=engineer,
        reported_at=DECEMBER + timedelta(days=2),
        tag=camera.tag,
        description="摄像机画面模糊",
        severity="major",
        uuid="00000000-0000-4000-8000-000000000001",
    )
    faults.add_step(late, "responded", DECEMBER + timedelta(days=2, minutes=45), engineer)
    swaps.record_swap(
        faulty_tag=camera.tag,
        spare_tag=spare.tag,
        user=engineer,
        swapped_at=DECEMBER + timedelta(days=2, hours=1),
        fault_id=late.id,
    )
    quick = faults.create_fault(
        user=engineer,
        reported_at=DECEMBER + timedelta(days=5),
        tag=terminal.tag,
        description="终端无声音",
        severity="minor",
    )
    faults.add_step(quick, "responded", DECEMBER + timedelta(days=5, minutes=5), engineer)
    faults.add_step(
        quick,
        "resolved",
        DECEMBER + timedelta(days=5, minutes=50),
        engineer,
        resolution="重新插紧音频线",
    )
    notes.save_note("inspection_monthly", "2025-12", "建议更换会议室摄像机云台。", engineer)
    db.session.commit()
    return {"province": province, "camera": camera, "fault": late, "photo": photo}
