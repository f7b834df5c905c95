"""0009 judges the corrections already stored by the correction rule (issue 11, finding 2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa

from server.extensions import db


def _world(old) -> dict:
    """Two bureaus with a room and an L09 each, two engineers and a supervisor (0008's schema)."""
    old.insert("region", code="520000", name="贵州省", level="province", kind="province")
    ids: dict = {}
    for code, name in (("520100", "贵阳市"), ("520300", "遵义市")):
        old.insert(
            "region", code=code, name=name, level="prefecture", kind="city", parent_code="520000"
        )
        site = old.insert(
            "site", code=code, name=f"{name}医保局", tier="prefecture", region_code=code
        )
        ids[code] = (site, old.insert("room", site_id=site, name="main_conference", kind="meeting"))
    l09 = old.insert("device_type", code="L09", kind="display", name_zh="屏", name_en="Screen")
    for n, code in enumerate(("520100", "520300"), 1):
        ids[f"device_{code}"] = old.insert(
            "device", tag=f"GZ{n:06d}", type_id=l09, room_id=ids[code][1], status="in_service"
        )
    for name, role in (("alice", "engineer"), ("bob", "engineer"), ("boss", "supervisor")):
        ids[name] = old.insert(
            "user", username=name, display_name=name, role=role, password_hash="x", active=True
        )
    return ids


def test_0009_judges_stored_corrections(at_revision):
    old = at_revision("0008_sync_received_by")
    ids = _world(old)
    at = datetime(2025, 5, 1, tzinfo=UTC)
    meta = {"client_time": at, "server_time": at, "content_hash": "x", "clock_skew_seconds": 0}
    visit_uuid = str(uuid.uuid4())
    visit_id = old.insert(
        "visit",
        uuid=visit_uuid,
        user_id=ids["alice"],
        site_id=ids["520100"][0],
        inspection_kind="quarterly",
        started_at=at,
        **meta,
    )
    mine, other = ids["device_520100"], ids["device_520300"]
    tags = {mine: "GZ000001", other: "GZ000002"}

    def row(user, device, supersedes=None, visit=visit_uuid):
        return {
            **meta,
            "uuid": str(uuid.uuid4()),
            "user_id": ids[user],
            "visit_uuid": visit,
            "visit_id": visit_id,
            "device_id": device,
            "tag": tags[device],
            "inspection_kind": "quarterly",
            "outcome": "pass",
            "photos": [],
            "supersedes_uuid": supersedes,
        }

    original = row("alice", mine)
    rows = {
        "original": original,
        "own": row("alice", mine, original["uuid"]),
        "boss": row("boss", mine, original["uuid"]),
        "attack": row("bob", other, original["uuid"], visit=None),
        "orphan": row("bob", other, str(uuid.uuid4()), visit=None),
    }
    for values in rows.values():
        old.insert("inspection", **values)
    old.upgrade()
    states = dict(db.session.execute(sa.text("SELECT uuid, supersede_state FROM inspection")).all())
    assert {name: states[r["uuid"]] for name, r in rows.items()} == {
        "original": None,
        "own": "valid",
        "boss": "valid",
        "attack": "review",
        "orphan": "pending",
    }
