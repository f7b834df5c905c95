"""Device writes from the office: create, edit, move with a reason, retire, re-tag; each refusal
names its field, says why in a stable code_name, and writes nothing (no device, event or audit
row); viewers and engineers only read."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, Device, DeviceEvent
from tests.server.plans_helpers import FieldFactory

MAIN = ("520102", "main_conference")
OTHER = ("520103", "main_conference")


def _counts() -> tuple[int, int, int]:
    count = lambda model: db.session.scalar(sa.select(sa.func.count()).select_from(model))  # noqa: E731
    return count(Device), count(DeviceEvent), count(AuditLog)


def _refused(response, status: int, field: str, code_name: str) -> dict:
    body = response.get_json()
    assert response.status_code == status, body
    assert body["error"]["code_name"] == code_name, body
    assert field in body["error"]["errors"]["json"], body
    return body


def _open_fault(auth, device) -> int:
    answer = auth("engineer").post(
        "/api/v1/faults", json={"tag": device.tag, "description": "投影仪不亮"}
    )
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()["id"]


def test_create_edit_move_retire_and_retag_with_audit(auth, reference_data):
    rooms = reference_data["rooms"]
    supervisor = auth("supervisor")
    created = supervisor.post(
        "/api/v1/devices",
        json={"type_code": "L09", "serial": "SN-1", "room_id": rooms[MAIN].id},
    )
    assert created.status_code == 201, created.get_json()
    tag = created.get_json()["tag"]  # issued, as the import does
    edited = supervisor.patch(
        f"/api/v1/devices/{tag}", json={"serial": "SN-2", "notes": "左侧", "type_code": "L59"}
    )
    assert edited.status_code == 200, edited.get_json()
    body = edited.get_json()
    assert (body["serial"], body["notes"], body["type"]["code"]) == ("SN-2", "左侧", "L59")
    moved = supervisor.post(
        f"/api/v1/devices/{tag}/move", json={"room_id": rooms[OTHER].id, "reason": "会议室改造"}
    )
    assert moved.status_code == 200 and moved.get_json()["room"]["id"] == rooms[OTHER].id
    custody = supervisor.get(f"/api/v1/devices/{tag}/custody").get_json()["events"]
    assert (custody[-1]["to_room"]["id"], custody[-1]["reason"]) == (rooms[OTHER].id, "会议室改造")
    retired = supervisor.post(f"/api/v1/devices/{tag}/retire", json={"reason": "报废"})
    assert retired.status_code == 200 and retired.get_json()["status"] == "retired"
    last = supervisor.get(f"/api/v1/devices/{tag}/custody").get_json()["events"][-1]
    assert (last["from_status"], last["to_status"], last["reason"]) == (
        "in_service",
        "retired",
        "报废",
    )
    retagged = supervisor.post(f"/api/v1/devices/{tag}/retag", json={"reason": "标签丢失"})
    assert retagged.status_code == 200 and retagged.get_json()["retired_tag"] == tag
    device_id = created.get_json()["id"]
    audit = db.session.execute(
        sa.select(AuditLog.action, AuditLog.actor_id, AuditLog.changes)
        .where(AuditLog.entity == "device", AuditLog.entity_id == str(device_id))
        .order_by(AuditLog.id)
    ).all()
    assert {a.actor_id for a in audit} == {supervisor.user.id}
    changed = [set(a.changes) for a in audit if a.action == "update"]
    assert {"serial", "notes", "type_id"} <= changed[0]
    assert any("room_id" in c for c in changed) and any("status" in c for c in changed)
    assert any("tag" in c for c in changed)


def test_duplicates_and_unknown_places_are_refused_with_nothing_written(
    auth, reference_data, factory
):
    rooms = reference_data["rooms"]
    first = factory.device(room=rooms[MAIN], serial="SN-A")
    second = factory.device(room=rooms[MAIN], serial="SN-B")
    admin = auth("admin")
    before = _counts()
    _refused(
        admin.post("/api/v1/devices", json={"type_code": "L09", "serial": "SN-A"}),
        409,
        "serial",
        "duplicate",
    )
    _refused(
        admin.post("/api/v1/devices", json={"type_code": "L09", "tag": first.tag}),
        409,
        "tag",
        "duplicate",
    )
    _refused(
        admin.post("/api/v1/devices", json={"type_code": "L09", "room_id": 999_999}),
        422,
        "room_id",
        "unknown_room",
    )
    _refused(
        admin.post("/api/v1/devices", json={"type_code": "NOPE"}), 422, "type_code", "unknown_type"
    )
    _refused(
        admin.patch(f"/api/v1/devices/{second.tag}", json={"serial": "SN-A", "notes": "x"}),
        409,
        "serial",
        "duplicate",
    )
    _refused(
        admin.post(f"/api/v1/devices/{second.tag}/move", json={"room_id": 999_999, "reason": "x"}),
        422,
        "room_id",
        "unknown_room",
    )
    _refused(
        admin.post(
            f"/api/v1/devices/{second.tag}/move", json={"room_id": rooms[MAIN].id, "reason": "x"}
        ),
        422,
        "room_id",
        "same_room",
    )
    _refused(
        admin.post(
            f"/api/v1/devices/{second.tag}/move", json={"room_id": rooms[OTHER].id, "reason": "  "}
        ),
        422,
        "reason",
        "reason_required",
    )
    missing = admin.post(f"/api/v1/devices/{second.tag}/move", json={"room_id": rooms[OTHER].id})
    assert missing.status_code == 422 and "reason" in missing.get_json()["error"]["errors"]["json"]
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Device, second.id).serial == "SN-B"


def test_a_retired_device_cannot_be_moved(auth, reference_data, factory):
    rooms = reference_data["rooms"]
    device = factory.device(room=rooms[MAIN], status="retired")
    supervisor = auth("supervisor")
    before = _counts()
    _refused(
        supervisor.post(
            f"/api/v1/devices/{device.tag}/move", json={"room_id": rooms[OTHER].id, "reason": "x"}
        ),
        422,
        "room_id",
        "device_retired",
    )
    _refused(
        supervisor.patch(f"/api/v1/devices/{device.tag}", json={"room_id": rooms[OTHER].id}),
        422,
        "room_id",
        "device_retired",
    )
    _refused(
        supervisor.patch(f"/api/v1/devices/{device.tag}", json={"status": "in_service"}),
        422,
        "status",
        "device_retired",
    )
    _refused(
        supervisor.post(f"/api/v1/devices/{device.tag}/retire", json={"reason": "again"}),
        422,
        "status",
        "device_retired",
    )
    assert _counts() == before
    # its notes may still be corrected
    assert (
        supervisor.patch(f"/api/v1/devices/{device.tag}", json={"notes": "库房"}).status_code == 200
    )


def test_retiring_with_an_open_fault_is_refused_with_the_fault_named(auth, reference_data, factory):
    device = factory.device(room=reference_data["rooms"][MAIN])
    fault_id = _open_fault(auth, device)
    supervisor = auth("supervisor")
    before = _counts()
    body = _refused(
        supervisor.post(f"/api/v1/devices/{device.tag}/retire", json={"reason": "报废"}),
        422,
        "status",
        "open_fault",
    )
    assert f"#{fault_id}" in body["error"]["message"]
    _refused(
        supervisor.patch(f"/api/v1/devices/{device.tag}", json={"status": "retired"}),
        422,
        "status",
        "open_fault",
    )
    assert _counts() == before
    db.session.expire_all()
    assert db.session.get(Device, device.id).status == "in_service"


def test_the_type_stays_once_inspections_were_recorded(auth, reference_data, factory):
    rooms = reference_data["rooms"]
    device = factory.device(room=rooms[MAIN])
    engineer = factory.user("engineer")
    fields = FieldFactory()
    visit = fields.visit(device.room.site, engineer, datetime(2026, 3, 2, 2, tzinfo=UTC))
    fields.inspection(visit, device)
    db.session.commit()
    admin = auth("admin")
    before = _counts()
    _refused(
        admin.patch(f"/api/v1/devices/{device.tag}", json={"type_code": "L59"}),
        422,
        "type_code",
        "type_locked",
    )
    assert _counts() == before


@pytest.mark.parametrize("role", ["viewer", "engineer"])
def test_readers_may_not_write(auth, reference_data, factory, role):
    rooms = reference_data["rooms"]
    device = factory.device(room=rooms[MAIN])
    reader = auth(role)
    before = _counts()
    calls = [
        reader.post("/api/v1/devices", json={"type_code": "L09"}),
        reader.patch(f"/api/v1/devices/{device.tag}", json={"notes": "x"}),
        reader.post(
            f"/api/v1/devices/{device.tag}/move", json={"room_id": rooms[OTHER].id, "reason": "x"}
        ),
        reader.post(f"/api/v1/devices/{device.tag}/retire", json={"reason": "x"}),
        reader.post(f"/api/v1/devices/{device.tag}/retag", json={"reason": "x"}),
    ]
    assert [c.status_code for c in calls] == [403] * 5
    assert reader.get(f"/api/v1/devices/{device.tag}/custody").status_code == 200
    assert _counts() == before
