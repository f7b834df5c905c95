"""Sites and rooms: coordinates checked as a pair inside China; a bureau that moved is closed
(refused while a unit stands there), no longer planned or offered for meetings, its history
kept; a closed room takes no unit, by move or import."""

import sqlalchemy as sa

from server.extensions import db
from server.models import Device, DeviceType, Room, Site
from server.services.plans.plans import bureaus

SITE = {"code": "520199", "name": "测试县局", "tier": "county", "region_code": "520102"}


def _new_site(client) -> dict:
    made = client.post("/api/v1/sites", json={**SITE, "lat": 26.58, "lon": 106.71})
    assert made.status_code == 201, made.get_json()
    room = client.post("/api/v1/sites/520199/rooms", json={"name": "主会场"}).get_json()
    return {"site": made.get_json(), "room": room}


def test_coordinates_are_a_pair_inside_china(auth, reference_data):
    boss = auth("supervisor")
    made = _new_site(boss)["site"]
    assert (made["lat"], made["lon"], made["closed_at"]) == (26.58, 106.71, None)
    swapped = boss.patch("/api/v1/sites/520199", json={"lat": 106.71, "lon": 26.58})
    assert swapped.status_code == 422
    assert swapped.get_json()["error"]["code_name"] == "point_outside"
    alone = boss.patch("/api/v1/sites/520199", json={"lat": None})
    assert alone.get_json()["error"]["code_name"] == "point_incomplete"
    db.session.expire_all()
    site = db.session.scalar(sa.select(Site).where(Site.code == "520199"))
    assert (site.lat, site.lon) == (26.58, 106.71)
    cleared = boss.patch("/api/v1/sites/520199", json={"lat": None, "lon": None})
    assert cleared.status_code == 200 and cleared.get_json()["lat"] is None


def test_a_site_with_a_unit_is_not_closed_and_an_empty_one_is(auth, reference_data):
    boss = auth("supervisor")
    room = _new_site(boss)["room"]
    kind = db.session.scalar(sa.select(DeviceType).where(DeviceType.code == "L09"))
    made = boss.post(
        "/api/v1/devices", json={"type_code": kind.code, "room_id": room["id"], "serial": "SN-C1"}
    )
    assert made.status_code == 201, made.get_json()
    tag = made.get_json()["tag"]
    refused = boss.post("/api/v1/sites/520199/close", json={"reason": "迁址"})
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code_name"] == "site_in_use" and tag in error["message"]
    assert boss.post(f"/api/v1/sites/520199/rooms/{room['id']}/close").status_code == 422
    retired = boss.post(f"/api/v1/devices/{tag}/retire", json={"reason": "报废"})
    assert retired.status_code == 200, retired.get_json()
    closed = boss.post("/api/v1/sites/520199/close", json={"reason": "迁址"})
    assert closed.status_code == 200, closed.get_json()
    body = closed.get_json()
    assert body["closed_reason"] == "迁址" and body["rooms"][0]["closed_at"]
    assert "520199" not in {s.code for s in bureaus()}
    again = boss.post("/api/v1/sites/520199/close", json={"reason": "迁址"})
    assert again.status_code == 409 and again.get_json()["error"]["code_name"] == "site_closed"
    no_room = boss.post("/api/v1/sites/520199/rooms", json={"name": "新会场"})
    assert no_room.status_code == 409
    assert db.session.get(Device, retired.get_json()["id"]).room_id == room["id"]  # history kept
    reopened = boss.post("/api/v1/sites/520199/reopen")
    assert reopened.status_code == 200 and reopened.get_json()["rooms"][0]["closed_at"] is None


def test_a_closed_room_takes_no_unit(auth, reference_data):
    boss = auth("supervisor")
    room = _new_site(boss)["room"]
    assert boss.post(f"/api/v1/sites/520199/rooms/{room['id']}/close").status_code == 200
    refused = boss.post("/api/v1/devices", json={"type_code": "L09", "room_id": room["id"]})
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code_name"] == "room_closed"
    elsewhere = db.session.scalar(sa.select(Room).where(Room.closed_at.is_(None)))
    other = boss.post("/api/v1/devices", json={"type_code": "L09", "room_id": elsewhere.id})
    tag = other.get_json()["tag"]
    moved = boss.post(f"/api/v1/devices/{tag}/move", json={"room_id": room["id"], "reason": "搬迁"})
    assert moved.status_code == 422 and moved.get_json()["error"]["code_name"] == "room_closed"
    assert db.session.get(Room, room["id"]).closed_at is not None
