"""Registry writes: sites, rooms and device types (roles, bad input, nothing written)."""

import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, DeviceType, Site

SITE = {"code": "520199", "name": "测试县局", "tier": "county", "region_code": "520102"}
TYPE = {"code": "TEST-CAM", "kind": "camera", "name_zh": "测试摄像机", "name_en": "Test camera"}


def test_site_create_edit_and_rooms(auth, reference_data):
    admin = auth("supervisor")
    response = admin.post("/api/v1/sites", json=SITE)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["rooms"] == []
    for name in ("主会场", "信访室"):
        assert admin.post("/api/v1/sites/520199/rooms", json={"name": name}).status_code == 201
    rooms = admin.get("/api/v1/sites/520199").get_json()["rooms"]
    assert [r["name"] for r in rooms] == ["主会场", "信访室"]
    patched = admin.patch("/api/v1/sites/520199", json={"address": "某路 1 号"})
    assert patched.status_code == 200 and patched.get_json()["address"] == "某路 1 号"
    clash = admin.patch(f"/api/v1/sites/520199/rooms/{rooms[1]['id']}", json={"name": "主会场"})
    assert clash.status_code == 409, clash.get_json()
    assert "name" in clash.get_json()["error"]["errors"]["json"]
    renamed = admin.patch(f"/api/v1/sites/520199/rooms/{rooms[1]['id']}", json={"name": "监控室"})
    assert renamed.status_code == 200 and renamed.get_json()["name"] == "监控室"
    assert db.session.scalar(
        sa.select(sa.func.count()).select_from(AuditLog).where(AuditLog.entity == "site")
    )


def test_site_bad_input_writes_nothing(auth, reference_data):
    admin = auth("admin")
    before = db.session.scalar(sa.select(sa.func.count()).select_from(Site))
    bad_region = admin.post("/api/v1/sites", json={**SITE, "region_code": "999999"})
    assert bad_region.status_code == 422
    assert "region_code" in bad_region.get_json()["error"]["errors"]["json"]
    bad_tier = admin.post("/api/v1/sites", json={**SITE, "tier": "planet"})
    assert bad_tier.status_code == 422 and "tier" in bad_tier.get_json()["error"]["errors"]["json"]
    missing = admin.post("/api/v1/sites", json={"code": "X1"})
    assert missing.status_code == 422 and "name" in missing.get_json()["error"]["errors"]["json"]
    taken = admin.post("/api/v1/sites", json={**SITE, "code": next(iter(reference_data["sites"]))})
    assert taken.status_code == 409 and "code" in taken.get_json()["error"]["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Site)) == before


def test_site_and_type_writes_need_a_manager(auth, reference_data):
    for role in ("viewer", "engineer"):
        user = auth(role)
        assert user.post("/api/v1/sites", json=SITE).status_code == 403
        assert user.post("/api/v1/device-types", json=TYPE).status_code == 403
        assert user.patch("/api/v1/sites/520199", json={"name": "x"}).status_code == 403
    assert db.session.scalar(sa.select(Site.id).where(Site.code == "520199")) is None


def test_device_type_create_edit_and_refusals(auth, reference_data):
    admin = auth("admin")
    created = admin.post("/api/v1/device-types", json={**TYPE, "model": "M1"})
    assert created.status_code == 201, created.get_json()
    edited = admin.patch("/api/v1/device-types/TEST-CAM", json={"manufacturer": "某厂"})
    assert edited.status_code == 200 and edited.get_json()["manufacturer"] == "某厂"
    assert admin.post("/api/v1/device-types", json=TYPE).status_code == 409
    bad = admin.post("/api/v1/device-types", json={**TYPE, "code": "T2", "kind": "toaster"})
    assert bad.status_code == 422 and "kind" in bad.get_json()["error"]["errors"]["json"]
    assert admin.patch("/api/v1/device-types/NOPE", json={"model": "x"}).status_code == 404
    count = sa.select(sa.func.count()).select_from(DeviceType).where(DeviceType.code == "T2")
    assert db.session.scalar(count) == 0


def test_device_type_delete_refuses_one_in_use_and_retiring_hides_it_from_new_devices(
    auth, reference_data, factory
):
    admin = auth("admin")
    assert admin.post("/api/v1/device-types", json=TYPE).status_code == 201
    factory.device("TEST-CAM", status="spare")
    db.session.commit()
    refused = admin.delete("/api/v1/device-types/TEST-CAM")
    assert refused.status_code == 409, refused.get_json()
    assert refused.get_json()["error"]["code_name"] == "type_in_use"
    assert "Retire it instead" in refused.get_json()["error"]["message"]
    assert db.session.scalar(sa.select(DeviceType.id).where(DeviceType.code == "TEST-CAM"))

    retired = admin.patch("/api/v1/device-types/TEST-CAM", json={"retired": True})
    assert retired.status_code == 200 and retired.get_json()["retired"] is True
    new = admin.post("/api/v1/devices", json={"type_code": "TEST-CAM", "status": "spare"})
    assert new.status_code == 422 and new.get_json()["error"]["code_name"] == "type_retired"
    listed = {t["code"]: t["retired"] for t in admin.get("/api/v1/device-types").get_json()}
    assert listed["TEST-CAM"] is True and listed["L09"] is False


def test_an_unused_device_type_is_deleted_and_the_audit_log_says_who(auth, reference_data):
    supervisor = auth("supervisor")
    assert supervisor.post("/api/v1/device-types", json=TYPE).status_code == 201
    assert auth("engineer").delete("/api/v1/device-types/TEST-CAM").status_code == 403
    answer = supervisor.delete("/api/v1/device-types/TEST-CAM")
    assert answer.status_code == 204, answer.get_json()
    assert db.session.scalar(sa.select(DeviceType.id).where(DeviceType.code == "TEST-CAM")) is None
    deleted = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "device_type", AuditLog.action == "delete")
    ).all()
    assert len(deleted) == 1 and deleted[0].actor_id is not None
    assert supervisor.delete("/api/v1/device-types/TEST-CAM").status_code == 404
