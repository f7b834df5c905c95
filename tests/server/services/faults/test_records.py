"""The fault feature's sync plumbing: registered record types and field-pack sections."""

import uuid

import pytest

from server.extensions import db
from server.services.sync.registry import PACK_SECTIONS, RECORD_TYPES
from tests.server.fault_scene import build_scene, meta
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def scene(reference_data, factory):
    return build_scene(reference_data, factory)


def test_record_types_are_registered_at_set_up(app):
    assert {"fault", "fault_step", "swap", "rma_return"} <= set(RECORD_TYPES)
    assert {"faults", "spares", "rma"} <= set(PACK_SECTIONS)
    errors = (
        RECORD_TYPES["swap"]
        .schema()
        .validate(
            {"faulty_tag": "x", "spare_tag": "y", "swapped_at": "2026-03-07T10:00:00", "extra": 1}
        )
    )
    assert set(errors) == {"swapped_at", "extra"}  # naive time and unknown field both refused


def test_pack_sections_follow_the_pool_and_open_faults(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 7, 10, 0))
    user = scene.engineer
    spares = PACK_SECTIONS["spares"]
    full = [spares.dump(d) for d in spares.changed_since(user, None)]
    assert {row["tag"] for row in full} == {
        scene.spare.tag,
        scene.spare2.tag,
        scene.spare_terminal.tag,
    }
    assert {row["site_code"] for row in full} == {"STORE-GZ"}
    fault = RECORD_TYPES["fault"].store(
        {
            "tag": scene.faulty.tag,
            "reported_at": clock.now,
            "description": "x",
            "photos": [],
            "severity": "minor",
            "urgent_meeting": False,
            "source": "field",
        },
        meta(user, str(uuid.uuid4())),
    )
    RECORD_TYPES["swap"].store(
        {
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.spare.tag,
            "swapped_at": clock.now,
            "fault_uuid": fault.uuid,
            "better_grade": False,
        },
        meta(user, str(uuid.uuid4())),
    )
    db.session.commit()
    rows = [
        PACK_SECTIONS["faults"].dump(f) for f in PACK_SECTIONS["faults"].changed_since(user, None)
    ]
    assert [(r["uuid"], r["state"], r["tag"]) for r in rows] == [
        (fault.uuid, "spare_installed", scene.faulty.tag)
    ]
    since = cst(2026, 1, 1)
    assert spares.deleted_since(user, since) == [scene.spare.id]
    open_rma = [
        PACK_SECTIONS["rma"].dump(r) for r in PACK_SECTIONS["rma"].changed_since(user, None)
    ]
    assert [r["tag"] for r in open_rma] == [scene.faulty.tag]


def test_demo_spares_are_held_at_the_contractors_store(demo):
    from server.services.faults.spares import pool_summary

    summary = pool_summary()
    assert summary["total"] == demo["spares"] == 8
    assert summary["unplaced"] == [] and summary["low_stock"] == []
    assert {p["site_code"] for t in summary["types"] for p in t["places"]} == {"STORE-GZ"}
