"""The meetings API: create, read with due checks, change with history, cancel, bad input."""

from __future__ import annotations

from datetime import timedelta

import pytest

from server.extensions import db
from server.models import Meeting, MeetingRevision
from server.services.meetings import meetings
from tests.server.meetings.helpers import START, body


def test_create_gives_due_checks_by_the_contract(scene):
    response = scene["boss"].post("/api/v1/meetings", json=body(scene))
    assert response.status_code == 201, response.get_json()
    data = response.get_json()
    assert data["version"] == 1 and data["site_count"] == 6 and data["warnings"] == []
    kinds = [c["kind"] for c in data["due_checks"]]
    assert kinds.count("arrival") == 2 and kinds.count("switch_on") == 6
    assert kinds.count("checklist") == 1 and kinds.count("joint_test") == 2
    by_kind = {c["kind"]: c["due_at"] for c in data["due_checks"]}
    assert by_kind["arrival"] == "2026-12-03T00:00:00Z"
    assert by_kind["switch_on"] == "2026-12-03T00:30:00Z"
    assert {c["state"] for c in data["due_checks"]} == {"due"}


def test_major_meeting_arrival_is_half_a_day_before(scene, monkeypatch):
    made = scene["boss"].post("/api/v1/meetings", json=body(scene, kind="major")).get_json()
    arrivals = [c for c in made["due_checks"] if c["kind"] == "arrival"]
    assert {c["due_at"] for c in arrivals} == {"2026-12-02T21:00:00Z"}
    monkeypatch.setattr(meetings, "current_time", lambda: START - timedelta(minutes=45))
    again = scene["boss"].get(f"/api/v1/meetings/{made['id']}").get_json()
    states = {c["kind"]: c["state"] for c in again["due_checks"]}
    assert states == {
        "arrival": "late",
        "switch_on": "due",
        "checklist": "due",
        "joint_test": "due",
    }


@pytest.mark.parametrize(
    "over,field",
    [
        ({"ends_at": START.isoformat()}, "ends_at"),
        ({"site_codes": ["520100", "999999"]}, "site_codes"),
        ({"speaking_codes": ["520700"]}, "speaking_codes"),
        ({"host_room_id": 999999}, "host_room_id"),
        ({"host_site_code": "520100"}, "host_room_id"),
        ({"host_site_code": "nope"}, "host_site_code"),
        ({"kind": "software"}, "platform"),
        ({"platform": "dingtalk"}, "platform"),
        ({"site_scope": "prefecture", "prefecture_code": "529999"}, "prefecture_code"),
        ({"starts_at": "2026-12-03T09:00:00"}, "starts_at"),
    ],
)
def test_bad_input_is_a_422_naming_the_field_and_writes_nothing(scene, over, field):
    response = scene["boss"].post("/api/v1/meetings", json=body(scene, **over))
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["errors"]["json"]
    assert db.session.query(Meeting).count() == 0
    assert db.session.query(MeetingRevision).count() == 0


def test_an_engineer_who_is_not_an_engineer_is_refused(scene, factory):
    viewer = factory.user("viewer")
    response = scene["boss"].post("/api/v1/meetings", json=body(scene, engineer_ids=[viewer.id]))
    assert response.status_code == 422
    assert "engineer_ids" in response.get_json()["error"]["errors"]["json"]
    assert db.session.query(Meeting).count() == 0


def test_participants_all_or_a_prefecture(scene):
    everyone = (
        scene["boss"]
        .post("/api/v1/meetings", json=body(scene, site_scope="all", speaking_codes=[]))
        .get_json()
    )
    assert everyone["site_count"] == 99
    zunyi = (
        scene["boss"]
        .post(
            "/api/v1/meetings",
            json=body(scene, site_scope="prefecture", prefecture_code="520300", speaking_codes=[]),
        )
        .get_json()
    )
    prefectures = {s["prefecture"] for s in zunyi["sites"]}
    assert prefectures == {"520300"} and zunyi["site_count"] > 1


def test_patch_keeps_history_and_stale_version_is_a_409(scene):
    made = scene["boss"].post("/api/v1/meetings", json=body(scene)).get_json()
    url = f"/api/v1/meetings/{made['id']}"
    later = (START + timedelta(hours=1)).isoformat()
    changed = scene["boss"].patch(url, json={"version": 1, "starts_at": later})
    assert changed.status_code == 200, changed.get_json()
    assert changed.get_json()["version"] == 2
    assert scene["boss"].patch(url, json={"version": 1, "title": "x"}).status_code == 409
    same = scene["boss"].patch(url, json={"title": "全省视频会议"}).get_json()
    assert same["version"] == 2  # nothing changed, no revision
    history = scene["boss"].get(f"{url}/history").get_json()["items"]
    assert [h["action"] for h in history] == ["created", "updated"]
    assert history[1]["changes"] == {
        "starts_at": {"old": "2026-12-03T01:00:00Z", "new": "2026-12-03T02:00:00Z"}
    }
    assert history[1]["user_id"] == scene["boss"].user.id


def test_cancel_drops_the_due_checks_and_freezes_it(scene):
    made = scene["boss"].post("/api/v1/meetings", json=body(scene)).get_json()
    url = f"/api/v1/meetings/{made['id']}"
    cancelled = scene["boss"].post(f"{url}/cancel", json={"reason": "postponed"}).get_json()
    assert cancelled["state"] == "cancelled" and cancelled["due_checks"] == []
    assert scene["boss"].post(f"{url}/cancel", json={}).status_code == 409
    assert scene["boss"].patch(url, json={"title": "y"}).status_code == 409
    last = scene["boss"].get(f"{url}/history").get_json()["items"][-1]
    assert last["changes"]["reason"] == {"old": None, "new": "postponed"}


def test_double_booked_engineer_is_warned(scene):
    one = scene["engineers"][0].id
    scene["boss"].post("/api/v1/meetings", json=body(scene, engineer_ids=[one]))
    # Starts as the first ends, but its arrival (1 h before) overlaps the first meeting.
    other = body(
        scene,
        title="DingTalk",
        kind="software",
        platform="dingtalk",
        starts_at=(START + timedelta(hours=2, minutes=30)).isoformat(),
        ends_at=(START + timedelta(hours=4)).isoformat(),
        engineer_ids=[one],
    )
    warnings = scene["boss"].post("/api/v1/meetings", json=other).get_json()["warnings"]
    assert [w["code"] for w in warnings] == ["engineer_double_booked"]
    assert warnings[0]["engineer_id"] == one


def test_engineers_see_their_own_meetings_only(scene, auth, factory):
    made = scene["boss"].post("/api/v1/meetings", json=body(scene)).get_json()
    mine = auth("engineer", user=scene["engineers"][0])
    stranger = auth("engineer")
    assert mine.get(f"/api/v1/meetings/{made['id']}").status_code == 200
    assert stranger.get(f"/api/v1/meetings/{made['id']}").status_code == 403
    listed = mine.get("/api/v1/meetings?month=2026-12").get_json()["items"]
    assert [m["id"] for m in listed] == [made["id"]]
    assert stranger.get("/api/v1/meetings?month=2026-12").get_json()["items"] == []
    other = f"/api/v1/meetings?engineer_id={scene['engineers'][0].id}"
    assert stranger.get(other).status_code == 403


def test_list_by_site_and_period(scene):
    made = scene["boss"].post("/api/v1/meetings", json=body(scene)).get_json()
    hits = scene["boss"].get("/api/v1/meetings?month=2026-12&site_code=520300").get_json()
    assert [m["id"] for m in hits["items"]] == [made["id"]]
    none = scene["boss"].get("/api/v1/meetings?month=2026-12&site_code=522300").get_json()
    assert none["items"] == []
    assert scene["boss"].get("/api/v1/meetings?month=2027-01").get_json()["items"] == []


def test_the_engineer_list_names_only_active_engineers(scene, factory):
    gone = factory.user("engineer")
    gone.active = False
    db.session.commit()
    factory.user("supervisor")
    items = scene["boss"].get("/api/v1/meetings/engineers").get_json()["items"]
    ids = [e["id"] for e in items]
    assert all(u.id in ids for u in scene["engineers"]) and gone.id not in ids
    assert {e["name"] for e in items} >= {u.display_name for u in scene["engineers"]}
