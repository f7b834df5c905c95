"""Meeting log test helpers: a scheduled meeting, a unit at a site, records pushed through sync."""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta

import pytest

from server.services.meetings import meetings
from tests.server.frozen import FrozenClock
from tests.server.meetings.helpers import START, body

AFTER = START + timedelta(hours=3)  # the meeting (START .. START + 2 h) is over


def new_uuid() -> str:
    return str(uuidlib.uuid4())


def record(rtype: str, data: dict, at=None, uuid: str | None = None) -> dict:
    return {
        "uuid": uuid or new_uuid(),
        "type": rtype,
        "client_time": (at or START).isoformat(),
        "app_version": "test",
        "position": {"lat": 26.57, "lon": 106.71, "accuracy": 15.0},
        "data": data,
    }


def push(client, *records) -> list[dict]:
    answer = client.post("/api/v1/sync/push", json={"records": list(records)})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["results"]


def make_meeting(scene, **over) -> dict:
    made = scene["boss"].post("/api/v1/meetings", json=body(scene, **over))
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def set_meeting_clock(monkeypatch, at) -> None:
    monkeypatch.setattr(meetings, "current_time", lambda: at)


@pytest.fixture
def log_scene(scene, reference_data, factory, auth, monkeypatch):
    """A meeting of six sites tomorrow, an assigned engineer's phone, a unit at 520100 and one
    at 520200; the fault clock after the meeting (incidents are in the past)."""
    FrozenClock(monkeypatch, AFTER)
    meeting = make_meeting(scene)
    rooms = reference_data["rooms"]
    unit = factory.device(room=rooms[("520100", "main_conference")])
    other = factory.device(room=rooms[("520200", "main_conference")])
    sites = reference_data["sites"]
    return {
        **scene,
        "meeting": meeting,
        "phone": auth("engineer", scene["engineers"][0]),
        "unit": unit,
        "other_unit": other,
        "site": sites["520100"],
        "sites": sites,
    }


def incident_data(log_scene, **over) -> dict:
    values = {
        "meeting_id": log_scene["meeting"]["id"],
        "site_id": log_scene["site"].id,
        "kind": "lost_sound",
        "started_at": (START + timedelta(minutes=20)).isoformat(),
        "duration_min": 3,
        "action": "重启音频处理器",
        "to_fault": False,
    }
    return {**values, **over}


def register_data(log_scene, **over) -> dict:
    values = {
        "meeting_id": log_scene["meeting"]["id"],
        "started_at": START.isoformat(),
        "ended_at": (START + timedelta(hours=2, minutes=5)).isoformat(),
        "operators": "张工、李工",
        "state_before": "设备正常",
        "state_after": "设备正常，已关机",
        "shutdown": {"audio": True, "displays": True, "matrix": True, "power": True},
        "recordings": [
            {
                "server": "录播服务器一",
                "file": "REC-20261203-0900",
                "duration_min": 125,
                "retention_days": 180,
            }
        ],
        "remarks": "会议顺利",
    }
    return {**values, **over}
