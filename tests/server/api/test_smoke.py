"""Smoke: health, login and a listing work end to end."""


def test_health_reports_database(client):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"


def test_login_then_list_devices(auth, reference_data, factory):
    factory.device(room=reference_data["rooms"][("520102", "main_conference")])
    engineer = auth("engineer")
    response = engineer.get("/api/v1/devices?site=520102")
    assert response.status_code == 200
    assert response.get_json()["total"] == 1
