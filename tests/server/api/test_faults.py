"""Faults through the API: raise, steps, close, running clocks, breaches and stats with frozen time."""

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.api.out import utc_z
from server.extensions import db
from server.models import Fault, FaultStep
from tests.server.fault_scene import build_scene
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def scene(app, reference_data, factory):
    return build_scene(reference_data, factory)


def test_supervisor_takes_a_phone_call_and_the_fault_runs_to_closed(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 6, 23, 58))  # Friday, just before midnight
    supervisor = auth("supervisor", scene.supervisor)
    engineer = auth("engineer", scene.engineer)
    response = supervisor.post(
        "/api/v1/faults",
        json={
            "tag": scene.faulty.tag.lower(),
            "description": "camera shows no picture",
            "reported_at": cst(2026, 3, 6, 23, 50).isoformat(),
            "severity": "critical",
            "urgent_meeting": True,
        },
    )
    assert response.status_code == 201, response.get_json()
    fault = response.get_json()
    assert fault["source"] == "phone" and fault["clocks"]["response"]["state"] == "about_to_breach"
    url = f"/api/v1/faults/{fault['id']}"
    clock.set(cst(2026, 3, 7, 0, 5))
    assert engineer.post(f"{url}/steps", json={"step": "responded"}).status_code == 201
    clock.set(cst(2026, 3, 7, 0, 30))
    body = engineer.post(f"{url}/steps", json={"step": "diagnosing", "note": "cable?"}).get_json()
    assert body["state"] == "diagnosing" and body["clocks"]["response"]["deduction"] == -1
    assert body["clocks"]["spare"]["due_at"] == utc_z(cst(2026, 3, 7, 1, 50))
    clock.set(cst(2026, 3, 7, 1, 30))
    assert engineer.post(f"{url}/close", json={"resolution": "x"}).status_code == 403
    closed = supervisor.post(
        f"{url}/close", json={"resolution": "replaced the HDMI cable"}
    ).get_json()
    assert closed["state"] == "closed" and closed["resolved_at"] == utc_z(clock.now)
    assert [s["step"] for s in closed["steps"]] == [
        "reported",
        "responded",
        "diagnosing",
        "resolved",
        "closed",
    ]
    assert all(s["user_id"] for s in closed["steps"])
    detail = auth("viewer").get(url).get_json()
    assert (
        detail["clocks"]["handling"]["state"] == "met"
        and detail["clocks"]["spare"]["state"] == "not_needed"
    )


def test_engineer_raises_a_field_fault_but_not_a_phone_call(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 7, 10, 0))
    engineer = auth("engineer", scene.engineer)
    phone_call = {"tag": scene.faulty.tag, "description": "x", "source": "phone"}
    assert engineer.post("/api/v1/faults", json=phone_call).status_code == 403
    response = engineer.post("/api/v1/faults", json={"tag": scene.faulty.tag, "description": "x"})
    assert response.status_code == 201 and response.get_json()["created_by"] == scene.engineer.id
    assert response.get_json()["source"] == "field"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"tag": None, "description": "x"}, "tag"),
        ({"tag": "GZ0000000", "description": "x"}, "tag"),
        ({"description": ""}, "description"),
        ({"description": "x", "reported_at": "2026-03-09T10:00:00+08:00"}, "reported_at"),
        ({"description": "x", "severity": "apocalyptic"}, "severity"),
        ({"description": "x", "colour": "red"}, "colour"),
    ],
)
def test_bad_faults_get_422_and_write_nothing(scene, auth, monkeypatch, body, field):
    FrozenClock(monkeypatch, cst(2026, 3, 7, 10, 0))
    body = {
        key: value for key, value in {"tag": scene.faulty.tag, **body}.items() if value is not None
    }
    response = auth("supervisor").post("/api/v1/faults", json=body)
    assert response.status_code == 422, response.get_json()
    assert field in str(response.get_json()["error"]["errors"])
    assert db.session.scalar(sa.select(sa.func.count(Fault.id))) == 0


def test_close_without_resolution_is_422_and_changes_nothing(scene, auth, monkeypatch):
    FrozenClock(monkeypatch, cst(2026, 3, 7, 10, 0))
    supervisor = auth("supervisor")
    fault_id = supervisor.post(
        "/api/v1/faults", json={"tag": scene.faulty.tag, "description": "x"}
    ).get_json()["id"]
    for body in ({}, {"resolution": "   "}):
        response = supervisor.post(f"/api/v1/faults/{fault_id}/close", json=body)
        assert response.status_code == 422
        assert "resolution" in response.get_json()["error"]["message"]
    db.session.expire_all()
    assert db.session.get(Fault, fault_id).state == "reported"
    assert db.session.scalar(sa.select(sa.func.count(FaultStep.id))) == 1
    assert supervisor.post("/api/v1/faults/999/close", json={"resolution": "x"}).status_code == 404


def test_breaches_and_stats_for_a_month_and_a_quarter(scene, auth, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 28, 9, 0))  # a Saturday
    supervisor = auth("supervisor")
    reported = clock.now
    ids = [
        supervisor.post("/api/v1/faults", json={"tag": tag, "description": "x"}).get_json()["id"]
        for tag in (scene.faulty.tag, scene.other.tag)
    ]
    clock.set(cst(2026, 3, 28, 10, 0))
    for fault_id, minutes in zip(ids, (5, 45)):
        response = supervisor.post(
            f"/api/v1/faults/{fault_id}/steps",
            json={"step": "responded", "at": (reported + timedelta(minutes=minutes)).isoformat()},
        )
        assert response.status_code == 201
    supervisor.post(
        f"/api/v1/faults/{ids[0]}/steps", json={"step": "resolved", "resolution": "reboot"}
    )
    clock.set(cst(2026, 3, 28, 12, 45))  # fault 2: handling due 13:00, about to breach
    viewer = auth("viewer")
    found = viewer.get("/api/v1/faults/breaches?month=2026-03").get_json()
    assert [(f["id"], f["clocks"]) for f in found["breached"]] == [(ids[1], ["response"])]
    assert [(f["id"], f["clocks"]) for f in found["about_to_breach"]] == [(ids[1], ["handling"])]
    stats = viewer.get("/api/v1/faults/stats?month=2026-03").get_json()
    assert stats["resolution"] == {
        "reported": 2,
        "resolved": 1,
        "rate": 0.5,
        "target": 0.95,
        "met": False,
    }
    assert stats["response_deduction_estimate"] == -5
    assert (
        viewer.get("/api/v1/faults/stats?quarter=2026Q1").get_json()["resolution"]["reported"] == 2
    )
    assert (
        viewer.get("/api/v1/faults/stats?quarter=2026Q2").get_json()["resolution"]["reported"] == 0
    )
    assert viewer.get("/api/v1/faults/stats").get_json()["period"] == "2026-03"
    bad = viewer.get("/api/v1/faults/stats?month=2026-3x")
    assert bad.status_code == 422
    assert bad.get_json()["error"]["errors"]["query"] == {
        "month": ["use the form YYYY-MM, e.g. 2026-03"]
    }
    listed = viewer.get("/api/v1/faults?open=true&month=2026-03").get_json()
    assert [f["id"] for f in listed["items"]] == [ids[1]]
    by_tag = viewer.get(f"/api/v1/faults?tag={scene.other.tag.lower()}").get_json()
    assert [f["id"] for f in by_tag["items"]] == [ids[1]]
    assert viewer.get("/api/v1/faults?site=520102").get_json()["total"] == 1
    assert viewer.get("/api/v1/faults?state=resolved").get_json()["items"][0]["id"] == ids[0]


def test_stats_of_a_year_or_a_date_range_count_only_that_period(scene, auth, monkeypatch):
    """?year= and ?from=&to= were ignored (the current month answered); now they are the period."""
    clock = FrozenClock(monkeypatch, cst(2025, 12, 31, 23, 30))  # the last half hour of 2025
    supervisor = auth("supervisor")
    supervisor.post("/api/v1/faults", json={"tag": scene.faulty.tag, "description": "x"})
    clock.set(cst(2026, 2, 10, 9, 0))
    supervisor.post("/api/v1/faults", json={"tag": scene.other.tag, "description": "y"})
    clock.set(cst(2026, 5, 1, 9, 0))
    viewer = auth("viewer")

    def reported(query):
        answer = viewer.get(f"/api/v1/faults/stats?{query}")
        assert answer.status_code == 200, answer.get_json()
        return answer.get_json()["period"], answer.get_json()["resolution"]["reported"]

    assert reported("year=2025") == ("2025", 1)
    assert reported("year=2026") == ("2026", 1)
    assert reported("from=2025-12-31&to=2026-02-10") == ("2025-12-31..2026-02-10", 2)
    assert reported("from=2026-01-01&to=2026-02-09") == ("2026-01-01..2026-02-09", 0)
    assert reported("quarter=2026q1") == ("2026Q1", 1)
    assert reported("") == ("2026-05", 0)
    year = viewer.get("/api/v1/faults/stats?year=2026").get_json()
    assert (year["start"], year["end"]) == ("2025-12-31T16:00:00Z", "2026-12-31T16:00:00Z")
    breaches = viewer.get("/api/v1/faults/breaches?year=2025").get_json()
    assert breaches["period"] == "2025"


@pytest.mark.parametrize(
    "query, field, hint",
    [
        ("quarter=2026-Q1", "quarter", "use the form YYYYQn (n = 1..4), e.g. 2026Q1"),
        ("quarter=2026Q5", "quarter", "use the form YYYYQn (n = 1..4), e.g. 2026Q1"),
        ("year=26", "year", "use the form YYYY, e.g. 2026"),
        ("month=2026-03&quarter=2026Q1", "month", "not together with quarter"),
        ("year=2026&from=2026-01-01&to=2026-02-01", "year", "not together with from/to"),
        ("from=2026-01-01", "to", "give both from and to"),
        ("from=2026-03-01&to=2026-01-01", "to", "must not be before from"),
    ],
)
@pytest.mark.parametrize("path", ["/api/v1/faults/stats", "/api/v1/faults/breaches"])
def test_a_bad_period_is_a_422_naming_the_parameter_and_the_form(
    scene, auth, path, query, field, hint
):
    answer = auth("viewer").get(f"{path}?{query}")
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["errors"]["query"][field] == [hint]
