"""Bulk device changes: the check says what each device would do and writes nothing; the change
is all or nothing (one refused device refuses the batch, no event or audit row written); each
device follows the single-edit rules (retired stays put, an open fault blocks retiring)."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, DeviceEvent
from server.tags import make_tag
from tests.server.api.test_device_writes import MAIN, OTHER, _open_fault


def _counts() -> tuple[int, int]:
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    return count(DeviceEvent), count(AuditLog)


def _three(supervisor, rooms) -> list[str]:
    tags = []
    for serial in ("B-1", "B-2", "B-3"):
        answer = supervisor.post(
            "/api/v1/devices",
            json={"type_code": "L09", "serial": serial, "room_id": rooms[MAIN].id},
        )
        assert answer.status_code == 201, answer.get_json()
        tags.append(answer.get_json()["tag"])
    return tags


def test_bulk_move_checks_then_moves_every_device(auth, reference_data):
    rooms = reference_data["rooms"]
    supervisor = auth("supervisor")
    tags = _three(supervisor, rooms)
    body = {"tags": tags, "action": "move", "room_id": rooms[OTHER].id, "reason": "机房搬迁"}
    before = _counts()
    checked = supervisor.post("/api/v1/device-bulk/check", json=body)
    assert checked.status_code == 200, checked.get_json()
    assert checked.get_json() == {
        "items": [{"tag": t, "ok": True, "code": None, "message": None} for t in tags],
        "refused": 0,
    }
    assert _counts() == before  # the check wrote nothing
    done = supervisor.post("/api/v1/device-bulk", json=body)
    assert done.status_code == 200, done.get_json()
    for tag in tags:
        device = supervisor.get(f"/api/v1/devices/{tag}").get_json()
        assert device["room"]["id"] == rooms[OTHER].id
        last = supervisor.get(f"/api/v1/devices/{tag}/custody").get_json()["events"][-1]
        assert last["reason"] == "机房搬迁"


def test_one_refused_device_refuses_the_batch(auth, reference_data):
    rooms = reference_data["rooms"]
    supervisor = auth("supervisor")
    tags = _three(supervisor, rooms)
    fault_on = supervisor.get(f"/api/v1/devices/{tags[1]}").get_json()
    _open_fault(auth, type("D", (), {"tag": fault_on["tag"]}))
    body = {"tags": tags, "action": "status", "status": "retired", "reason": "报废"}
    checked = supervisor.post("/api/v1/device-bulk/check", json=body).get_json()
    assert checked["refused"] == 1
    assert [(i["tag"], i["ok"], i["code"]) for i in checked["items"]] == [
        (tags[0], True, None),
        (tags[1], False, "open_fault"),
        (tags[2], True, None),
    ]
    before = _counts()
    refused = supervisor.post("/api/v1/device-bulk", json=body)
    assert refused.status_code == 422, refused.get_json()
    error = refused.get_json()["error"]
    assert error["code_name"] == "bulk_refused"
    assert list(error["errors"]["json"]["tags"]) == [tags[1]]
    assert _counts() == before
    statuses = {supervisor.get(f"/api/v1/devices/{t}").get_json()["status"] for t in tags}
    assert statuses == {"in_service"}  # none retired, not even the two that could be


def test_bulk_input_errors_name_the_field(auth, reference_data):
    rooms = reference_data["rooms"]
    supervisor = auth("supervisor")
    tags = _three(supervisor, rooms)
    cases = [
        ({"tags": tags, "action": "move", "reason": "x"}, "room_id", "bulk_incomplete"),
        ({"tags": tags, "action": "status", "reason": "x"}, "status", "bulk_incomplete"),
        ({"tags": [tags[0], tags[0]], "action": "move", "room_id": 1, "reason": "x"}, "tags", None),
        ({"tags": [], "action": "move", "room_id": 1, "reason": "x"}, "tags", None),
        ({"tags": tags, "action": "paint", "reason": "x"}, "action", None),
        ({"tags": tags, "action": "move", "room_id": rooms[MAIN].id}, "reason", None),
    ]
    for body, field, code in cases:
        answer = supervisor.post("/api/v1/device-bulk", json=body)
        assert answer.status_code == 422, (body, answer.get_json())
        error = answer.get_json()["error"]
        assert field in error["errors"]["json"], (body, error)
        if code:
            assert error["code_name"] == code


def test_unknown_tag_and_same_room_are_per_device_refusals(auth, reference_data):
    rooms = reference_data["rooms"]
    supervisor = auth("supervisor")
    tags = _three(supervisor, rooms)
    unknown = make_tag(99_999)  # well formed, carried by no device
    body = {"tags": [*tags, unknown], "action": "move", "room_id": rooms[MAIN].id, "reason": "x"}
    answer = supervisor.post("/api/v1/device-bulk/check", json=body)
    assert answer.status_code == 200, answer.get_json()
    codes = [(i["tag"], i["code"]) for i in answer.get_json()["items"]]
    assert codes == [*((t, "same_room") for t in tags), (unknown, "not_found")]
