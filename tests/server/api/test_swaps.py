"""The swap flows end to end through the API: scan-scan swap, conflicts, RMA, spare pool, custody."""

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import RmaRecord, Swap
from tests.server.fault_scene import build_scene, snapshot
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def scene(app, reference_data, factory):
    return build_scene(reference_data, factory)


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, cst(2026, 3, 8, 23, 40))  # Sunday night


def test_fault_swap_rma_and_swap_back_end_to_end(scene, auth, clock):
    engineer, supervisor = auth("engineer", scene.engineer), auth("supervisor", scene.supervisor)
    fault = engineer.post(
        "/api/v1/faults",
        json={
            "tag": scene.faulty.tag,
            "description": "no video",
            "source": "field",
            "urgent_meeting": True,
        },
    ).get_json()
    clock.advance(minutes=30)
    response = engineer.post(
        "/api/v1/swaps",
        json={
            "faulty_tag": scene.faulty.tag,
            "spare_tag": scene.spare.tag,
            "fault_id": fault["id"],
            "expected_room_id": scene.room_a.id,
            "vendor": "Hikvision",
        },
    )
    assert response.status_code == 201, response.get_json()
    swap = response.get_json()
    assert swap["state"] == "applied" and swap["spare"]["room_id"] == scene.room_a.id
    detail = engineer.get(f"/api/v1/faults/{fault['id']}").get_json()
    assert detail["state"] == "spare_installed" and detail["clocks"]["spare"]["state"] == "met"
    assert detail["clocks"]["handling"]["state"] == "met"

    pool = engineer.get("/api/v1/spares").get_json()
    assert pool["total"] == 2
    assert {t["type_code"]: t["count"] for t in pool["types"]} == {"L09": 1, "L07": 1}
    assert pool["types"][0]["places"][0]["site_code"] == "STORE-GZ"
    assert supervisor.put("/api/v1/spares/thresholds/L09", json={"min_count": 2}).status_code == 200
    low = engineer.get("/api/v1/spares").get_json()["low_stock"]
    assert low == [
        {
            "type_code": "L09",
            "name_zh": low[0]["name_zh"],
            "name_en": "4K HD camera",
            "count": 1,
            "min_count": 2,
        }
    ]

    open_rma = engineer.get("/api/v1/rma?open=true").get_json()["items"]
    assert [(r["tag"], r["vendor"], r["swap_id"]) for r in open_rma] == [
        (scene.faulty.tag, "Hikvision", swap["id"])
    ]
    rma_url = f"/api/v1/rma/{open_rma[0]['id']}"
    sent = supervisor.patch(
        rma_url, json={"sent_at": clock.advance(days=1).isoformat(), "expected_back": "2026-03-20"}
    ).get_json()
    assert sent["expected_back"] == "2026-03-20"
    clock.advance(days=10)
    back = engineer.post(
        f"{rma_url}/return", json={"outcome": "repaired", "disposition": "swap_back"}
    )
    assert back.status_code == 200, back.get_json()
    assert snapshot(scene.faulty, scene.spare) == [
        (scene.room_a.id, "in_service"),
        (scene.store.id, "spare"),
    ]
    assert (
        engineer.post(
            f"{rma_url}/return", json={"outcome": "repaired", "disposition": "keep"}
        ).status_code
        == 409
    )

    faulty_history = engineer.get(f"/api/v1/devices/{scene.faulty.tag}/custody").get_json()
    assert [f["id"] for f in faulty_history["faults"]] == [fault["id"]]
    assert [(r["vendor"], r["outcome"], r["disposition"]) for r in faulty_history["repairs"]] == [
        ("Hikvision", "repaired", "swap_back")
    ]
    assert [e["to_status"] for e in faulty_history["events"]] == [
        "in_service",
        "in_repair",
        "in_service",
    ]
    custody = engineer.get(f"/api/v1/devices/{scene.spare.tag}/custody").get_json()
    rooms = [e["to_room"]["site_code"] if e["to_room"] else None for e in custody["events"]]
    assert rooms == [None, "STORE-GZ", "520102", "STORE-GZ"]
    assert custody["events"][2]["actor"]["username"] == scene.engineer.username
    event = custody["events"][2]
    assert (event["reason"], event["reason_code"]) == (None, "spare_installed")
    assert set(event["reason_params"]) >= {"swap"}
    room = engineer.get(f"/api/v1/rooms/{scene.room_a.id}/custody").get_json()
    stays = [(s["tag"], s["until"] is None) for s in room["stays"]]
    assert stays == [
        (scene.faulty.tag, False),
        (scene.speaker.tag, True),
        (scene.spare.tag, False),
        (scene.faulty.tag, True),
    ]
    assert sorted(room["present"]) == sorted([scene.faulty.tag, scene.speaker.tag])


def test_keep_returned_unit_as_a_spare_at_a_depot(scene, auth, clock):
    from server.services.core.places import site_by_code
    from server.services.faults.spares import seed_spare_places, store_room_of

    seed_spare_places(depots=True)
    db.session.commit()
    depot = store_room_of(site_by_code("DEPOT-520100"))
    engineer = auth("engineer", scene.engineer)
    engineer.post(
        "/api/v1/swaps", json={"faulty_tag": scene.faulty.tag, "spare_tag": scene.spare.tag}
    )
    rma_id = db.session.scalar(sa.select(RmaRecord.id))
    response = engineer.post(
        f"/api/v1/rma/{rma_id}/return",
        json={
            "outcome": "replaced",
            "new_serial": "NEW-1",
            "disposition": "keep",
            "store_room_id": depot.id,
        },
    )
    assert response.status_code == 200, response.get_json()
    assert snapshot(scene.faulty) == [(depot.id, "spare")]
    places = {
        p["site_code"]
        for t in engineer.get("/api/v1/spares").get_json()["types"]
        for p in t["places"]
    }
    assert places == {"STORE-GZ", "DEPOT-520100"}


def test_conflicting_swaps_are_flagged_listed_and_resolved(scene, auth, clock):
    phone1, phone2 = auth("engineer", scene.engineer), auth("engineer", scene.engineer2)
    supervisor = auth("supervisor", scene.supervisor)
    assert (
        phone1.post(
            "/api/v1/swaps", json={"faulty_tag": scene.faulty.tag, "spare_tag": scene.spare.tag}
        ).status_code
        == 201
    )
    response = phone2.post(
        "/api/v1/swaps", json={"faulty_tag": scene.other.tag, "spare_tag": scene.spare.tag}
    )
    assert response.status_code == 202 and response.get_json()["state"] == "flagged"
    flagged = supervisor.get("/api/v1/swaps?state=flagged").get_json()
    assert flagged["total"] == 1
    assert [f["code"] for f in flagged["items"][0]["flags"]] == ["spare_not_in_pool"]
    url = f"/api/v1/swaps/{flagged['items'][0]['id']}/resolve"
    assert phone1.post(url, json={"action": "dismiss"}).status_code == 403
    assert supervisor.post(url, json={"action": "maybe"}).status_code == 422
    resolved = supervisor.post(
        url, json={"action": "dismiss", "note": "phone 2 scanned the wrong label"}
    )
    assert resolved.get_json()["state"] == "dismissed"
    assert supervisor.post(url, json={"action": "apply"}).status_code == 409
    assert snapshot(scene.other) == [(scene.room_b.id, "in_service")]


@pytest.mark.parametrize(
    ("faulty", "spare", "extra", "message"),
    [
        ("faulty", "faulty", {}, "cannot be swapped with itself"),
        ("faulty", "spare_terminal", {}, "must be the same type"),
        ("faulty", "other", {}, "is not a spare"),
        ("faulty", "spare", {"fault_id": 999}, "No fault #999"),
        ("faulty", "spare", {"colour": "red"}, "Unknown field"),
    ],
)
def test_bad_swaps_get_422_with_a_reason_and_change_nothing(
    scene, auth, clock, faulty, spare, extra, message
):
    before = snapshot(scene.faulty, scene.spare, scene.other, scene.spare_terminal)
    response = auth("engineer").post(
        "/api/v1/swaps",
        json={
            "faulty_tag": getattr(scene, faulty).tag,
            "spare_tag": getattr(scene, spare).tag,
            **extra,
        },
    )
    assert response.status_code == 422
    assert message in str(response.get_json()["error"])
    assert snapshot(scene.faulty, scene.spare, scene.other, scene.spare_terminal) == before
    assert db.session.scalar(sa.select(sa.func.count(Swap.id))) == 0


def test_retired_unit_cannot_be_swapped(scene, auth, clock):
    admin = auth("admin")
    assert (
        admin.patch(
            f"/api/v1/devices/{scene.faulty.tag}",
            json={"status": "retired", "reason": "end of life"},
        ).status_code
        == 200
    )
    response = admin.post(
        "/api/v1/swaps", json={"faulty_tag": scene.faulty.tag, "spare_tag": scene.spare.tag}
    )
    assert response.status_code == 422 and "retired" in response.get_json()["error"]["message"]
    assert snapshot(scene.spare) == [(scene.store.id, "spare")]


def test_custody_of_unknown_things_is_404(scene, auth):
    viewer = auth("viewer")
    assert viewer.get("/api/v1/rooms/999999/custody").status_code == 404
    assert viewer.get("/api/v1/devices/GZ0000000/custody").status_code == 404
