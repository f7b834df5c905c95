"""Faults, steps and swaps pushed through the real sync endpoint (runs once the sync engine is merged)."""

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Fault, Swap
from tests.server.fault_scene import build_scene, snapshot
from tests.server.frozen import FrozenClock, cst
from tests.sync_records import recorded_at

pytest.importorskip("server.services.sync.engine", reason="the sync engine is on another branch")

# UUIDs chosen so the step and the swap sort before their fault (the engine stores in UUID order).
FAULT_UUID = "f0000000-0000-4000-8000-000000000001"
STEP_UUID = "10000000-0000-4000-8000-000000000001"
SWAP_UUID = "20000000-0000-4000-8000-000000000001"


@pytest.fixture
def scene(app, reference_data, factory):
    return build_scene(reference_data, factory)


def test_one_offline_batch_fault_step_and_swap_in_any_order(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 8, 0, 50))
    reported, responded, swapped = (
        cst(2026, 3, 7, 23, 55),
        cst(2026, 3, 8, 0, 3),
        cst(2026, 3, 8, 0, 40),
    )
    batch = [
        recorded_at(
            FAULT_UUID,
            "fault",
            {
                "tag": scene.faulty.tag,
                "reported_at": reported.isoformat(),
                "description": "no picture",
                "urgent_meeting": True,
            },
            reported,
        ),
        recorded_at(
            STEP_UUID,
            "fault_step",
            {"fault_uuid": FAULT_UUID, "step": "responded", "at": responded.isoformat()},
            responded,
        ),
        recorded_at(
            SWAP_UUID,
            "swap",
            {
                "faulty_tag": scene.faulty.tag,
                "spare_tag": scene.spare.tag,
                "fault_uuid": FAULT_UUID,
                "expected_room_id": scene.room_a.id,
                "swapped_at": swapped.isoformat(),
            },
            swapped,
        ),
    ]
    phone = auth("engineer", scene.engineer)
    first = phone.post("/api/v1/sync/push", json={"records": batch})
    assert first.status_code == 200, first.get_json()
    assert [r["status"] for r in first.get_json()["results"]] == ["created"] * 3
    fault = db.session.scalar(sa.select(Fault).where(Fault.uuid == FAULT_UUID))
    assert (fault.state, fault.responded_at, fault.spare_installed_at) == (
        "spare_installed",
        responded,
        swapped,
    )
    assert snapshot(scene.faulty, scene.spare) == [
        (None, "in_repair"),
        (scene.room_a.id, "in_service"),
    ]
    again = phone.post("/api/v1/sync/push", json={"records": batch})
    assert [r["status"] for r in again.get_json()["results"]] == ["duplicate"] * 3
    assert db.session.scalar(sa.select(sa.func.count(Swap.id))) == 1


def test_two_phones_same_spare_both_acknowledged_one_flagged(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    phone1, phone2 = auth("engineer", scene.engineer), auth("engineer", scene.engineer2)
    swap1 = recorded_at(
        SWAP_UUID,
        "swap",
        {
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.spare.tag,
            "swapped_at": clock.now.isoformat(),
        },
        clock.now,
    )
    swap2 = recorded_at(
        "30000000-0000-4000-8000-000000000001",
        "swap",
        {
            "faulty_tag": scene.other.tag,
            "spare_tag": scene.spare.tag,
            "swapped_at": clock.now.isoformat(),
        },
        clock.now,
    )
    assert (
        phone1.post("/api/v1/sync/push", json={"records": [swap1]}).get_json()["results"][0][
            "status"
        ]
        == "created"
    )
    assert (
        phone2.post("/api/v1/sync/push", json={"records": [swap2]}).get_json()["results"][0][
            "status"
        ]
        == "created"
    )
    states = dict(db.session.execute(sa.select(Swap.uuid, Swap.state)).all())
    assert states == {SWAP_UUID: "applied", swap2["uuid"]: "flagged"}
    assert auth("supervisor").get("/api/v1/swaps?state=flagged").get_json()["total"] == 1


def test_bad_swap_is_rejected_with_a_reason_and_nothing_changes(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    bad = recorded_at(
        SWAP_UUID,
        "swap",
        {
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.faulty.tag,
            "swapped_at": clock.now.isoformat(),
        },
        clock.now,
    )
    result = (
        auth("engineer").post("/api/v1/sync/push", json={"records": [bad]}).get_json()["results"][0]
    )
    assert result["status"] == "rejected" and "itself" in result["reason"]
    assert snapshot(scene.faulty) == [(scene.room_a.id, "in_service")]


def test_a_swap_naming_a_missing_room_says_the_room_does_not_exist(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    swap = recorded_at(
        SWAP_UUID,
        "swap",
        {
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.spare.tag,
            "expected_room_id": 999999,
            "swapped_at": clock.now.isoformat(),
        },
        clock.now,
    )
    result = (
        auth("engineer")
        .post("/api/v1/sync/push", json={"records": [swap]})
        .get_json()["results"][0]
    )
    assert (result["status"], result["code"]) == ("rejected", "invalid"), result
    assert "Room 999999 does not exist" in result["reason"]
    assert result["errors"] == {"json": {"expected_room_id": [result["reason"]]}}
    assert snapshot(scene.faulty, scene.spare) == [
        (scene.room_a.id, "in_service"),
        (scene.store.id, "spare"),
    ]
    assert db.session.scalar(sa.select(sa.func.count(Swap.id))) == 0


def test_the_swap_api_says_a_missing_room_does_not_exist(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    response = auth("engineer", scene.engineer).post(
        "/api/v1/swaps",
        json={
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.spare.tag,
            "expected_room_id": 999999,
        },
    )
    assert response.status_code == 422, response.get_json()
    assert response.get_json()["error"]["errors"]["json"]["expected_room_id"]


def test_a_swap_keeps_how_each_tag_was_obtained(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    data = {
        "faulty_tag": scene.faulty.tag,
        "spare_tag": scene.spare.tag,
        "swapped_at": clock.now.isoformat(),
        "faulty_tag_source": "camera",
        "spare_tag_source": "typed",
    }
    phone = auth("engineer", scene.engineer)
    bad = recorded_at(SWAP_UUID, "swap", dict(data, spare_tag_source="guess"), clock.now)
    answer = phone.post("/api/v1/sync/push", json={"records": [bad]}).get_json()["results"][0]
    assert answer["status"] == "rejected" and "spare_tag_source" in str(answer)
    good = recorded_at("30000000-0000-4000-8000-000000000001", "swap", data, clock.now)
    answer = phone.post("/api/v1/sync/push", json={"records": [good]}).get_json()["results"][0]
    assert answer["status"] == "created", answer
    [swap] = auth("supervisor").get("/api/v1/swaps").get_json()["items"]
    assert (swap["faulty_tag_source"], swap["spare_tag_source"]) == ("camera", "typed")
