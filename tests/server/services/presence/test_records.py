"""Presence flags of faults and swaps on the office's lists and detail: a phone's fault 5 km
from its site is far, a typed spare tag is flagged, a fault logged at the desk has none."""

from __future__ import annotations

import pytest

from server.extensions import db
from tests.server.fault_scene import build_scene
from tests.server.frozen import FrozenClock, cst

FAULT_UUID = "f0000000-0000-4000-8000-0000000000b1"
SWAP_UUID = "f0000000-0000-4000-8000-0000000000b2"
SITE = (26.57, 106.71)


@pytest.fixture
def scene(app, reference_data, factory):
    scene = build_scene(reference_data, factory)
    site = scene.room_a.site
    site.lat, site.lon = SITE
    db.session.commit()
    return scene


def _record(uuid, rtype, data, at, lat):
    return {
        "uuid": uuid,
        "type": rtype,
        "client_time": at.isoformat(),
        "app_version": "test",
        "position": {"lat": lat, "lon": SITE[1], "accuracy": 30.0},
        "data": data,
    }


def _push(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 8, 10, 0))
    at = cst(2026, 3, 8, 9, 0)
    fault = {"tag": scene.faulty.tag, "tag_source": "camera", "reported_at": at.isoformat()}
    fault["description"] = "no picture"
    swap = {
        "faulty_tag": scene.faulty.tag,
        "spare_tag": scene.spare.tag,
        "faulty_tag_source": "camera",
        "spare_tag_source": "typed",
        "swapped_at": at.isoformat(),
    }
    batch = [  # the fault 5 km north of its site, the swap at it
        _record(FAULT_UUID, "fault", fault, at, SITE[0] + 0.045),
        _record(SWAP_UUID, "swap", swap, at, SITE[0]),
    ]
    answer = auth("engineer", scene.engineer).post("/api/v1/sync/push", json={"records": batch})
    assert [r["status"] for r in answer.get_json()["results"]] == ["created", "created"]


def test_a_far_fault_and_a_typed_swap_are_flagged_where_the_office_reads_them(
    scene, auth, monkeypatch
):
    _push(scene, auth, monkeypatch)
    office = auth("supervisor")
    [fault] = office.get("/api/v1/faults").get_json()["items"]
    assert fault["presence"]["flags"] == ["far"]
    assert 4900 < fault["presence"]["distance_m"] < 5100
    assert fault["presence"]["accuracy_m"] == 30.0
    assert office.get(f"/api/v1/faults/{fault['id']}").get_json()["presence"] == fault["presence"]
    [swap] = office.get("/api/v1/swaps").get_json()["items"]
    assert swap["presence"] == {"flags": ["typed_tag"], "distance_m": 0, "accuracy_m": 30.0}
    assert office.get(f"/api/v1/swaps/{swap['id']}").get_json()["presence"] == swap["presence"]


def test_a_fault_logged_at_the_desk_has_no_presence_and_nothing_is_refused(scene, auth):
    office = auth("supervisor")
    answer = office.post(
        "/api/v1/faults",
        json={"tag": scene.faulty.tag, "description": "caller says no picture", "source": "phone"},
    )
    assert answer.status_code == 201, answer.get_json()
    assert answer.get_json()["presence"] is None
    [listed] = office.get("/api/v1/faults").get_json()["items"]
    assert listed["presence"] is None
