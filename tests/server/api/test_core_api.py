"""Core API behaviour: error shape, auth, CSRF, validation, devices, audit, users."""

import pytest
import sqlalchemy as sa

from server import tags
from server.models import AuditLog, Device, DeviceEvent
from tests.conftest import PASSWORD


def test_unauthenticated_is_json_401_not_a_redirect(client):
    response = client.get("/api/v1/devices")
    assert response.status_code == 401
    assert response.is_json and response.get_json()["error"]["code_name"] == "unauthorized"


def test_wrong_password_is_401(client, factory):
    user = factory.user("engineer")
    response = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": "nope"}
    )
    assert response.status_code == 401


def test_login_me_logout(client, factory):
    user = factory.user("supervisor")
    login = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    token = login.get_json()["csrf_token"]
    me = client.get("/api/v1/auth/me").get_json()
    assert me["user"]["role"] == "supervisor" and me["csrf_token"] == token
    assert client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/v1/auth/me").status_code == 401


def test_write_without_csrf_token_is_refused(auth, reference_data):
    admin = auth("admin")
    response = admin.client.post("/api/v1/devices", json={"type_code": "L09"})
    assert response.status_code == 400
    assert response.get_json()["error"]["code_name"] == "csrf"
    assert (
        admin.client.post(
            "/api/v1/devices", json={"type_code": "L09"}, headers={"X-CSRF-Token": "forged"}
        ).status_code
        == 400
    )


def test_unknown_field_and_wrong_type_are_422_naming_the_field(auth, reference_data):
    admin = auth("admin")
    response = admin.post(
        "/api/v1/devices", json={"type_code": "L09", "colour": "red", "room_id": "kitchen"}
    )
    body = response.get_json()["error"]
    assert response.status_code == 422
    assert set(body["errors"]["json"]) == {"colour", "room_id"}


def test_bad_tag_is_422_and_nothing_written(auth, reference_data, db):
    admin = auth("admin")
    tag = tags.make_tag(3)
    response = admin.post(
        "/api/v1/devices",
        json={"type_code": "L09", "tag": tag[:-1] + "X" if tag[-1] != "X" else tag[:-1] + "Y"},
    )
    assert response.status_code == 422
    assert "tag" in response.get_json()["error"]["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 0


def test_create_device_issues_tag_and_records_custody_and_audit(auth, reference_data, db):
    admin = auth("admin")
    room = reference_data["rooms"][("520102", "main_conference")]
    response = admin.post(
        "/api/v1/devices", json={"type_code": "L09", "room_id": room.id, "serial": "CAM-1"}
    )
    assert response.status_code == 201, response.get_json()
    device = response.get_json()
    assert tags.is_valid(device["tag"]) and device["site"]["code"] == "520102"
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "device")).all()
    assert [(a.action, a.actor_id, a.channel) for a in audit] == [("create", admin.user.id, "api")]
    events = db.session.scalars(sa.select(DeviceEvent)).all()
    assert [(e.to_room_id, e.to_status, e.actor_id) for e in events] == [
        (room.id, "in_service", admin.user.id)
    ]


def test_moving_a_device_keeps_history_with_reason(auth, reference_data, factory):
    rooms = reference_data["rooms"]
    device = factory.device(room=rooms[("520102", "main_conference")])
    supervisor = auth("supervisor")
    target = rooms[("520103", "main_conference")]
    response = supervisor.patch(
        f"/api/v1/devices/{device.tag}", json={"room_id": target.id, "reason": "moved to 云岩区"}
    )
    assert response.status_code == 200
    history = supervisor.get(f"/api/v1/devices/{device.tag}/history").get_json()
    assert [(h["to_room_id"], h["reason"]) for h in history][-1] == (target.id, "moved to 云岩区")
    assert len(history) == 2


def test_duplicate_serial_is_409(auth, reference_data, factory):
    factory.device(serial="DUP")
    response = auth("admin").post("/api/v1/devices", json={"type_code": "L09", "serial": "DUP"})
    assert response.status_code == 409
    assert "serial" in response.get_json()["error"]["errors"]["json"]


@pytest.mark.parametrize(
    "query,expected",
    [
        ("site=520102", 2),
        ("region=520100", 3),
        ("type=L59", 1),
        ("status=spare", 1),
        ("kind=camera", 3),
    ],
)
def test_device_filters(auth, reference_data, factory, query, expected):
    rooms = reference_data["rooms"]
    factory.device("L09", rooms[("520102", "main_conference")])
    factory.device("L59", rooms[("520102", "main_conference")])
    factory.device("L09", rooms[("520103", "main_conference")])
    factory.device("L09", None, status="spare")
    body = auth("viewer").get(f"/api/v1/devices?{query}").get_json()
    assert body["total"] == expected


def test_device_lookup_forgives_typing(auth, reference_data, factory):
    device = factory.device()
    typed = device.tag.lower().replace("0", "o")
    assert auth("engineer").get(f"/api/v1/devices/{typed}").get_json()["id"] == device.id


def test_pagination(auth, reference_data, factory):
    for _ in range(5):
        factory.device()
    body = auth("viewer").get("/api/v1/devices?per_page=2&page=3").get_json()
    assert (body["total"], len(body["items"]), body["page"]) == (5, 1, 3)


def test_admin_creates_user_with_hashed_password(auth, db):
    admin = auth("admin")
    response = admin.post(
        "/api/v1/users",
        json={
            "username": "li.wei",
            "display_name": "李伟",
            "role": "engineer",
            "password": "long-enough-1",
        },
    )
    assert response.status_code == 201
    from server.models import User

    stored = db.session.scalar(sa.select(User).where(User.username == "li.wei"))
    assert stored.password_hash != "long-enough-1" and stored.check_password("long-enough-1")
    audit = db.session.scalar(
        sa.select(AuditLog).where(AuditLog.entity == "user", AuditLog.entity_id == str(stored.id))
    )
    assert audit.changes["password_hash"] == "***"


def test_short_password_and_duplicate_username(auth, factory):
    admin = auth("admin")
    short = admin.post(
        "/api/v1/users",
        json={"username": "x1", "display_name": "X", "role": "viewer", "password": "short"},
    )
    assert "password" in short.get_json()["error"]["errors"]["json"]
    taken = admin.post(
        "/api/v1/users",
        json={
            "username": admin.user.username,
            "display_name": "X",
            "role": "viewer",
            "password": "long-enough-1",
        },
    )
    assert taken.status_code == 409


def test_disabled_user_cannot_sign_in(auth, client, factory):
    user = factory.user("engineer")
    auth("admin").patch(f"/api/v1/users/{user.id}", json={"active": False})
    response = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert response.status_code == 401


def test_openapi_document_lists_the_api(client):
    spec = client.get("/api/openapi.json").get_json()
    assert spec["openapi"].startswith("3.") and "/api/v1/devices/{tag}" in spec["paths"]


def test_sites_and_rooms(auth, reference_data):
    supervisor = auth("supervisor")
    site = supervisor.get("/api/v1/sites/520000").get_json()
    assert site["name"] == "贵州省医疗保障局" and len(site["rooms"]) == 5
    counties = supervisor.get("/api/v1/sites?tier=county&per_page=500").get_json()
    assert counties["total"] == 88
    added = supervisor.post(
        "/api/v1/sites/520102/rooms", json={"name": "信访室", "kind": "petition"}
    )
    assert added.status_code == 201
    again = supervisor.post(
        "/api/v1/sites/520102/rooms", json={"name": "信访室", "kind": "petition"}
    )
    assert again.status_code == 409


def test_checklists_cover_every_device_kind_for_quarterly_visits(auth, reference_data):
    from server.models import DEVICE_KINDS

    templates = auth("engineer").get("/api/v1/checklists?inspection_kind=quarterly").get_json()
    assert {t["device_kind"] for t in templates} == set(DEVICE_KINDS)
    camera = next(t for t in templates if t["device_kind"] == "camera")
    assert any(i["key"] == "preset.overview" for i in camera["items"])


def test_admin_cannot_lock_themselves_out(auth):
    admin = auth("admin")
    for change in ({"active": False}, {"role": "viewer"}):
        response = admin.patch(f"/api/v1/users/{admin.user.id}", json=change)
        assert response.status_code == 409
    assert admin.get("/api/v1/users").status_code == 200
