"""Fault assignment through the API: the desk gives a fault to an active engineer, the step and
the audit row it writes, who may not assign or be assigned, closed faults, the list filter, the
engineers to pick from and the assignee in the field pack."""

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, FaultStep
from tests.server.fault_scene import build_scene


@pytest.fixture
def scene(app, reference_data, factory):
    return build_scene(reference_data, factory)


def _fault(client, scene, text="no picture") -> dict:
    answer = client.post("/api/v1/faults", json={"tag": scene.faulty.tag, "description": text})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def test_a_supervisor_assigns_an_engineer_and_a_step_and_an_audit_row_say_so(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    assert fault["assignee"] is None and fault["assignee_id"] is None
    url = f"/api/v1/faults/{fault['id']}/assign"
    answer = supervisor.post(url, json={"user_id": scene.engineer.id, "note": "离得最近"})
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert body["assignee"] == {
        "id": scene.engineer.id,
        "display_name": scene.engineer.display_name,
    }
    assert body["assignee_id"] == scene.engineer.id and body["state"] == "reported"
    step = body["steps"][-1]
    assert (step["step"], step["user_id"], step["note"]) == (
        "assigned",
        scene.supervisor.id,
        "离得最近",
    )
    assert step["assignee"]["id"] == scene.engineer.id
    audit = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "fault", AuditLog.action == "update")
    ).all()
    assert [a.changes["assignee_id"] for a in audit if "assignee_id" in a.changes] == [
        [None, scene.engineer.id]
    ]
    assert audit[-1].actor_id == scene.supervisor.id

    # The same choice again changes nothing; another engineer, then nobody, each a step.
    assert len(supervisor.post(url, json={"user_id": scene.engineer.id}).get_json()["steps"]) == 2
    supervisor.post(url, json={"user_id": scene.engineer2.id})
    body = supervisor.post(url, json={"user_id": None}).get_json()
    assert body["assignee"] is None
    assert [(s["step"], (s["assignee"] or {}).get("id")) for s in body["steps"]] == [
        ("reported", None),
        ("assigned", scene.engineer.id),
        ("assigned", scene.engineer2.id),
        ("unassigned", None),
    ]
    # The clocks and the state are not moved by an assignment.
    assert body["state"] == "reported" and body["responded_at"] is None


@pytest.mark.parametrize("role", ["viewer", "engineer"])
def test_only_a_supervisor_or_admin_assigns(scene, auth, role):
    fault = _fault(auth("supervisor", scene.supervisor), scene)
    caller = auth(role, scene.engineer if role == "engineer" else None)
    answer = caller.post(
        f"/api/v1/faults/{fault['id']}/assign", json={"user_id": scene.engineer.id}
    )
    assert answer.status_code == 403
    assert db.session.scalar(sa.select(sa.func.count()).select_from(FaultStep)) == 1


@pytest.mark.parametrize("who", ["supervisor", "viewer", "inactive", "missing"])
def test_only_an_active_engineer_may_be_assigned(scene, auth, factory, who):
    admin = auth("admin")
    fault = _fault(admin, scene)
    if who == "missing":
        user_id = 999_999
    else:
        user = factory.user("engineer" if who == "inactive" else who)
        user.active = who != "inactive"
        db.session.commit()
        user_id = user.id
    answer = admin.post(f"/api/v1/faults/{fault['id']}/assign", json={"user_id": user_id})
    assert answer.status_code == 422, answer.get_json()
    assert "user_id" in answer.get_json()["error"]["errors"]["json"]
    assert admin.get(f"/api/v1/faults/{fault['id']}").get_json()["assignee"] is None


def test_a_closed_fault_is_not_assigned(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    url = f"/api/v1/faults/{fault['id']}"
    assert supervisor.post(f"{url}/close", json={"resolution": "reset"}).status_code == 200
    answer = supervisor.post(f"{url}/assign", json={"user_id": scene.engineer.id})
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code_name"] == "fault_closed"
    assert supervisor.get(url).get_json()["assignee"] is None


def test_the_list_filters_by_assignee_and_me(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    mine, theirs, nobodys = (_fault(supervisor, scene, text) for text in ("a", "b", "c"))
    supervisor.post(f"/api/v1/faults/{mine['id']}/assign", json={"user_id": scene.engineer.id})
    supervisor.post(f"/api/v1/faults/{theirs['id']}/assign", json={"user_id": scene.engineer2.id})
    engineer = auth("engineer", scene.engineer)
    items = engineer.get("/api/v1/faults?assignee=me").get_json()["items"]
    assert [f["id"] for f in items] == [mine["id"]]
    assert items[0]["assignee"]["display_name"] == scene.engineer.display_name
    items = supervisor.get(f"/api/v1/faults?assignee={scene.engineer2.id}").get_json()["items"]
    assert [f["id"] for f in items] == [theirs["id"]]
    every = supervisor.get("/api/v1/faults").get_json()["items"]
    assert {f["id"]: f["assignee_id"] for f in every}[nobodys["id"]] is None
    assert supervisor.get("/api/v1/faults?assignee=someone").status_code == 422


def test_a_supervisor_lists_the_active_engineers(scene, auth, factory):
    gone = factory.user("engineer")
    gone.active = False
    db.session.commit()
    supervisor = auth("supervisor", scene.supervisor)
    items = supervisor.get("/api/v1/users/engineers").get_json()["items"]
    ids = {u["id"] for u in items}
    assert {scene.engineer.id, scene.engineer2.id} <= ids
    assert gone.id not in ids and scene.supervisor.id not in ids
    assert set(items[0]) == {"id", "username", "display_name", "phone"}
    assert auth("engineer").get("/api/v1/users/engineers").status_code == 403


def test_the_engineers_pack_carries_the_assignee(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    engineer = auth("engineer", scene.engineer)
    cursor = engineer.get("/api/v1/sync/pull").get_json()
    row = next(f for f in cursor["faults"] if f["id"] == fault["id"])
    assert row["assignee_id"] is None
    supervisor.post(f"/api/v1/faults/{fault['id']}/assign", json={"user_id": scene.engineer.id})
    delta = engineer.get(f"/api/v1/sync/pull?cursor={cursor['cursor']}").get_json()
    assert [(f["id"], f["assignee_id"]) for f in delta["faults"]] == [
        (fault["id"], scene.engineer.id)
    ]
