"""Verify compares a fault's and a swap's stored fields with what the phone sent: a tag source
edited by raw SQL is named, with the record's link, type and uuid."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.services.evidence import verify
from tests.server.fault_scene import build_scene
from tests.server.frozen import FrozenClock, cst
from tests.sync_records import recorded_at

FAULT_UUID = "f0000000-0000-4000-8000-0000000000a1"
SWAP_UUID = "f0000000-0000-4000-8000-0000000000a2"


@pytest.fixture
def scene(app, reference_data, factory):
    return build_scene(reference_data, factory)


def _push_fault_and_swap(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    reported, swapped = cst(2026, 3, 8, 9, 0), cst(2026, 3, 8, 9, 30)
    fault = {
        "tag": scene.faulty.tag,
        "tag_source": "camera",
        "reported_at": reported.isoformat(),
        "description": "no picture",
    }
    swap = {
        "faulty_tag": scene.faulty.tag,
        "spare_tag": scene.spare.tag,
        "faulty_tag_source": "camera",
        "spare_tag_source": "typed",
        "fault_uuid": FAULT_UUID,
        "swapped_at": swapped.isoformat(),
    }
    batch = [
        recorded_at(FAULT_UUID, "fault", fault, reported),
        recorded_at(SWAP_UUID, "swap", swap, swapped),
    ]
    answer = auth("engineer", scene.engineer).post("/api/v1/sync/push", json={"records": batch})
    assert [r["status"] for r in answer.get_json()["results"]] == ["created", "created"]


def _edit(db, sql: str, uuid: str) -> None:
    db.session.execute(sa.text(sql), {"u": uuid})
    db.session.commit()


def test_verify_names_a_fault_whose_tag_source_was_edited(scene, auth, monkeypatch, db):
    _push_fault_and_swap(scene, auth, monkeypatch)
    report = verify.run()
    assert report.ok, [p.line() for p in report.problems]
    assert report.links == 2
    _edit(db, "UPDATE fault SET tag_source = 'typed' WHERE uuid = :u", FAULT_UUID)
    report = verify.run()
    assert not report.ok
    first = report.problems[0]
    assert (first.record_type, first.uuid) == ("fault", FAULT_UUID)
    assert first.what == "tag_source: stored 'typed', recorded 'camera'"
    assert first.line().startswith(f"link {first.seq} fault {FAULT_UUID}: tag_source")


def test_verify_names_a_swap_whose_tag_sources_or_units_were_edited(scene, auth, monkeypatch, db):
    spare, other = scene.spare.id, scene.spare2.id  # verify leaves the session empty
    _push_fault_and_swap(scene, auth, monkeypatch)
    _edit(db, "UPDATE swap SET spare_tag_source = 'camera' WHERE uuid = :u", SWAP_UUID)
    [problem] = verify.run().problems
    assert (problem.record_type, problem.uuid) == ("swap", SWAP_UUID)
    assert problem.what == "spare_tag_source: stored 'camera', recorded 'typed'"
    _edit(db, "UPDATE swap SET spare_tag_source = 'typed' WHERE uuid = :u", SWAP_UUID)
    assert verify.run().ok
    db.session.execute(
        sa.text("UPDATE swap SET spare_device_id = :d WHERE uuid = :u"),
        {"d": other, "u": SWAP_UUID},
    )
    db.session.execute(
        sa.text("UPDATE fault SET description = 'moved' WHERE uuid = :u"), {"u": FAULT_UUID}
    )
    db.session.commit()
    whats = [(p.record_type, p.what) for p in verify.run().problems]
    assert ("fault", "description: stored 'moved', recorded 'no picture'") in whats
    assert ("swap", f"spare_device_id: stored {other}, recorded {spare}") in whats
