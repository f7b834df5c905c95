"""The fault desk through the API: comments with evidence files (their own records, in the
fault's timeline), escalation (level and tier, a step with who and when, in the field pack),
the refusals (nothing written), and the audit log."""

import hashlib

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import AuditLog, Fault, FaultComment, FaultStep
from tests.server.assessment_scene import PDF_BYTES, jpeg_bytes
from tests.server.fault_scene import build_scene


@pytest.fixture
def scene(app, reference_data, factory, any_store):
    """The evidence files on the disk, then on S3 (SeaweedFS)."""
    return build_scene(reference_data, factory)


def _fault(client, scene) -> dict:
    answer = client.post("/api/v1/faults", json={"tag": scene.faulty.tag, "description": "黑屏"})
    assert answer.status_code == 201, answer.get_json()
    return answer.get_json()


def _upload(client, data: bytes, content_type: str):
    sha = hashlib.sha256(data).hexdigest()
    return sha, client.put(
        f"/api/v1/faults/attachments/{sha}", data=data, content_type=content_type
    )


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_a_comment_with_a_photo_and_a_pdf_is_its_own_record_in_the_timeline(scene, auth, any_store):
    supervisor, engineer = auth("supervisor", scene.supervisor), auth("engineer", scene.engineer)
    fault = _fault(supervisor, scene)
    photo, answer = _upload(engineer, jpeg_bytes(), "image/jpeg")
    assert answer.status_code == 201, answer.get_json()
    assert _upload(engineer, jpeg_bytes(), "image/jpeg")[1].status_code == 200  # already there
    pdf, answer = _upload(supervisor, PDF_BYTES, "application/pdf")
    assert answer.status_code == 201, answer.get_json()
    assert _upload(supervisor, PDF_BYTES, "application/pdf")[1].status_code == 200
    assert any_store.files() == sorted([photo, pdf])  # each in its store, nothing else

    url = f"/api/v1/faults/{fault['id']}/comments"
    body = {
        "text": "现场照片和厂家报告",
        "attachments": [{"sha256": photo, "name": "现场.jpg"}, {"sha256": pdf, "name": "报告.pdf"}],
    }
    answer = engineer.post(url, json=body)
    assert answer.status_code == 201, answer.get_json()
    comment = answer.get_json()
    assert comment["author"] == {
        "id": scene.engineer.id,
        "display_name": scene.engineer.display_name,
    }
    assert comment["text"] == "现场照片和厂家报告" and comment["server_time"]
    assert [(a["name"], a["content_type"]) for a in comment["attachments"]] == [
        ("现场.jpg", "image/jpeg"),
        ("报告.pdf", "application/pdf"),
    ]
    detail = supervisor.get(f"/api/v1/faults/{fault['id']}").get_json()
    assert [c["id"] for c in detail["comments"]] == [comment["id"]]
    assert [s["step"] for s in detail["steps"]] == ["reported"]  # not a re-posted step
    got = auth("viewer").get(comment["attachments"][1]["url"])
    assert got.status_code == 200 and got.data == PDF_BYTES
    assert got.content_type == "application/pdf"
    audit = db.session.scalars(sa.select(AuditLog).where(AuditLog.entity == "fault_comment")).all()
    assert [(a.action, a.actor_id) for a in audit] == [("create", scene.engineer.id)]


def test_bad_comments_and_files_are_refused_and_nothing_is_written(
    scene, auth, app, monkeypatch, any_store
):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    url = f"/api/v1/faults/{fault['id']}/comments"
    empty = supervisor.post(url, json={"text": "  "})
    assert empty.status_code == 422 and empty.get_json()["error"]["code_name"] == "comment_empty"
    missing = supervisor.post(url, json={"text": "x", "attachments": [{"sha256": "a" * 64}]})
    assert missing.status_code == 422
    assert missing.get_json()["error"]["code_name"] == "attachment_missing"
    assert "attachments" in missing.get_json()["error"]["errors"]["json"]
    too_many = supervisor.post(url, json={"attachments": [{"sha256": "a" * 64}] * 11})
    assert too_many.status_code == 422
    _, kind = _upload(supervisor, b"hello", "text/plain")
    assert kind.status_code == 422, kind.get_json()
    assert kind.get_json()["error"]["errors"]["headers"]["Content-Type"] == ["type_not_allowed"]
    _, fake = _upload(supervisor, b"not a pdf at all", "application/pdf")
    assert fake.status_code == 422 and fake.get_json()["error"]["errors"]["body"] == ["not_a_pdf"]
    monkeypatch.setitem(app.config, "ATTACHMENT_MAX_BYTES", 10)  # the app outlives this test
    _, big = _upload(supervisor, PDF_BYTES, "application/pdf")
    assert big.status_code == 413, big.get_json()
    assert supervisor.post("/api/v1/faults/999999/comments", json={"text": "x"}).status_code == 404
    assert auth("viewer").post(url, json={"text": "x"}).status_code == 403
    assert _count(FaultComment) == 0
    assert any_store.files() == []  # no refused file left anywhere


def test_escalation_raises_the_level_and_the_tier_with_a_step_and_the_pack_says_so(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    assert (fault["level"], fault["tier"]) == (None, "first_line")
    supervisor.post(f"/api/v1/faults/{fault['id']}/assign", json={"user_id": scene.engineer.id})
    url = f"/api/v1/faults/{fault['id']}/escalate"
    answer = supervisor.post(url, json={"level": 2, "reason": "会议前两小时"})
    assert answer.status_code == 200, answer.get_json()
    answer = supervisor.post(url, json={"level": 1, "tier": "vendor", "reason": "需厂家到场"})
    body = answer.get_json()
    assert (body["level"], body["tier"], body["state"]) == (1, "vendor", "reported")
    step = body["steps"][-1]
    assert (step["step"], step["level"], step["tier"], step["note"], step["user_id"]) == (
        "escalated",
        1,
        "vendor",
        "需厂家到场",
        scene.supervisor.id,
    )
    assert body["clocks"]["response"]["state"] == "running"  # no clock moved
    audit = db.session.scalars(
        sa.select(AuditLog)
        .where(AuditLog.entity == "fault", AuditLog.action == "update")
        .order_by(AuditLog.id)  # PostgreSQL returns rows in no set order without one
    ).all()
    assert [a.changes["level"] for a in audit if "level" in a.changes] == [[None, 2], [2, 1]]

    # The assignee's phone gets the level and tier with the fault (its Today shows them).
    engineer = auth("engineer", scene.engineer)
    pack = engineer.get("/api/v1/sync/pull").get_json()
    row = next(f for f in pack["faults"] if f["id"] == fault["id"])
    assert (row["assignee_id"], row["level"], row["tier"]) == (scene.engineer.id, 1, "vendor")


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"level": 2, "reason": "x"}, "level", "level_not_higher"),
        ({"tier": "first_line", "reason": "x"}, "tier", "tier_not_later"),
        ({"reason": "x"}, "level", "escalate_nothing"),
        ({"level": 1, "reason": "   "}, "reason", "reason_required"),
    ],
)
def test_an_escalation_that_raises_nothing_is_refused(scene, auth, body, field, code):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    url = f"/api/v1/faults/{fault['id']}/escalate"
    assert supervisor.post(url, json={"level": 2, "reason": "先定二级"}).status_code == 200
    steps = _count(FaultStep)
    answer = supervisor.post(url, json=body)
    assert answer.status_code == 422, answer.get_json()
    assert answer.get_json()["error"]["code_name"] == code
    assert field in answer.get_json()["error"]["errors"]["json"]
    assert _count(FaultStep) == steps
    assert db.session.get(Fault, fault["id"]).level == 2


def test_a_closed_fault_is_not_escalated_and_missing_reason_or_bad_level_is_422(scene, auth):
    supervisor = auth("supervisor", scene.supervisor)
    fault = _fault(supervisor, scene)
    url = f"/api/v1/faults/{fault['id']}/escalate"
    assert supervisor.post(url, json={"level": 1}).status_code == 422
    assert supervisor.post(url, json={"level": 3, "reason": "x"}).status_code == 422
    assert auth("engineer").post(url, json={"level": 1, "reason": "x"}).status_code == 403
    supervisor.post(f"/api/v1/faults/{fault['id']}/close", json={"resolution": "重启"})
    closed = supervisor.post(url, json={"level": 1, "reason": "x"})
    assert closed.status_code == 409 and closed.get_json()["error"]["code_name"] == "fault_closed"
    # A note after closing is still kept as a comment.
    assert (
        supervisor.post(f"/api/v1/faults/{fault['id']}/comments", json={"text": "回访"}).status_code
        == 201
    )


@pytest.mark.parametrize("path", ["/api/v1/faults/attachments", "/api/v1/assessment/attachments"])
def test_a_scanned_pdf_of_a_few_mebibytes_is_taken(scene, auth, path):
    """Attachments stream up to ATTACHMENT_MAX_BYTES (20 MiB), not the 64 KiB of small writes."""
    data = PDF_BYTES.replace(b"% a praise letter", b"% " + b"x" * (3 * 1024 * 1024))
    sha = hashlib.sha256(data).hexdigest()
    answer = auth("supervisor").put(f"{path}/{sha}", data=data, content_type="application/pdf")
    assert answer.status_code in (200, 201), answer.get_json()
