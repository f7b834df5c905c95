"""GET /meetings/<id>/timeline: revisions, schedule, due checks, incidents and registers in time
order with who and when; other record types plug in with timeline.register_source."""

from __future__ import annotations

from datetime import timedelta

from server.services.meetings import timeline
from tests.server.meetings.helpers import START
from tests.server.meetings.log_helpers import (
    AFTER,
    incident_data,
    push,
    record,
    register_data,
    set_meeting_clock,
)


def _timeline(client, meeting_id):
    answer = client.get(f"/api/v1/meetings/{meeting_id}/timeline")
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["items"]


def test_the_timeline_is_in_time_order_with_who_and_when(log_scene, monkeypatch):
    meeting_id = log_scene["meeting"]["id"]
    changed = log_scene["boss"].patch(f"/api/v1/meetings/{meeting_id}", json={"notes": "提前调试"})
    assert changed.status_code == 200
    set_meeting_clock(monkeypatch, AFTER)
    incident = incident_data(log_scene, started_at=(START + timedelta(minutes=40)).isoformat())
    push(
        log_scene["phone"],
        record("meeting_incident", incident, at=START + timedelta(minutes=45)),
        record("usage_register", register_data(log_scene), at=AFTER),
    )
    items = _timeline(log_scene["boss"], meeting_id)
    times = [i["at"] for i in items]
    assert times == sorted(times)
    kinds = [i["kind"] for i in items]
    assert kinds[:2] == ["meeting_created", "meeting_updated"]
    assert kinds[-4:] == ["meeting_starts", "incident", "meeting_ends", "usage_register"]
    assert kinds.count("check_due") == len(log_scene["meeting"]["due_checks"])
    boss, engineer = log_scene["boss"].user, log_scene["engineers"][0]
    assert (items[1]["user_name"], items[1]["details"]["changes"]["notes"]["new"]) == (
        boss.display_name,
        "提前调试",
    )
    event = items[kinds.index("incident")]
    assert (event["user_id"], event["user_name"]) == (engineer.id, engineer.display_name)
    assert event["recorded_at"] == "2026-12-03T01:45:00Z" and event["received_at"]
    assert (
        event["details"]["incident_kind"] == "lost_sound" and event["details"]["fault_id"] is None
    )
    assert items[-1]["details"]["current"] is True and items[-1]["flags"] == []


def test_a_check_done_by_a_record_source_shows_who(log_scene, monkeypatch):
    from server.services.meetings import due

    engineer = log_scene["engineers"][0]
    key = f"arrival:{engineer.id}"
    arrived = START - timedelta(hours=1, minutes=5)
    monkeypatch.setattr(
        due, "DONE_SOURCES", [lambda m: {key: {"done_at": arrived, "by_user_id": engineer.id}}]
    )
    items = _timeline(log_scene["boss"], log_scene["meeting"]["id"])
    done = [i for i in items if i["kind"] == "check_done"]
    assert [(d["details"]["key"], d["at"], d["user_name"]) for d in done] == [
        (key, "2026-12-02T23:55:00Z", engineer.display_name)
    ]


def test_another_record_type_plugs_in_its_events(log_scene, monkeypatch):
    engineer = log_scene["engineers"][0]

    def arrivals(meeting):
        at = START - timedelta(minutes=70)
        return [timeline.event("meeting_arrival", at, user_id=engineer.id, record_id=7)]

    monkeypatch.setattr(timeline, "SOURCES", [*timeline.SOURCES])
    timeline.register_source(arrivals)
    items = _timeline(log_scene["boss"], log_scene["meeting"]["id"])
    kinds = [i["kind"] for i in items]
    arrival = items[kinds.index("meeting_arrival")]
    assert arrival["at"] == "2026-12-02T23:50:00Z" and arrival["user_name"] == engineer.display_name
    assert kinds.index("meeting_arrival") < kinds.index("meeting_starts")


def test_engineers_see_only_their_meetings_timeline(log_scene, auth):
    meeting_id = log_scene["meeting"]["id"]
    assert _timeline(log_scene["phone"], meeting_id)
    assert auth("engineer").get(f"/api/v1/meetings/{meeting_id}/timeline").status_code == 403
    assert auth("viewer").get(f"/api/v1/meetings/{meeting_id}/timeline").status_code == 200
    assert log_scene["boss"].get("/api/v1/meetings/999999/timeline").status_code == 404
