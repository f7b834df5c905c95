"""The assessment API: the scorecard of a period, events with evidence, corrections, roles."""

from __future__ import annotations

import hashlib

import pytest

from tests.server import assessment_scene as scene
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def setup(app, reference_data, monkeypatch, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["ATTACHMENT_STORE"] = str(tmp_path / "attachments")
    FrozenClock(monkeypatch, cst(2026, 1, 5, 12, 0))
    return reference_data


def _upload(client, data: bytes, content_type: str):
    sha = hashlib.sha256(data).hexdigest()
    return sha, client.put(
        f"/api/v1/assessment/attachments/{sha}", data=data, content_type=content_type
    )


def _praise(sha):
    return {
        "form": "av",
        "item": "service",
        "rule": "written_praise",
        "occurred_on": "2025-12-10",
        "description": "省局书面表扬信",
        "attachments": [{"sha256": sha, "name": "表扬信.pdf"}],
    }


def test_a_praise_letter_moves_the_score_by_ten(setup, auth):
    supervisor, viewer = auth("supervisor"), auth("viewer")
    before = viewer.get("/api/v1/assessment?period=2025Q4").get_json()
    sha, stored = _upload(supervisor, scene.PDF_BYTES, "application/pdf")
    assert stored.status_code == 201, stored.get_json()
    assert _upload(supervisor, scene.PDF_BYTES, "application/pdf")[1].status_code == 200
    made = supervisor.post("/api/v1/assessment/events", json=_praise(sha))
    assert made.status_code == 201, made.get_json()
    after = viewer.get("/api/v1/assessment?period=2025Q4").get_json()
    service = lambda body: body["forms"][0]["lines"][1]  # noqa: E731
    assert service(after)["score"] == service(before)["score"] + 10
    assert after["forms"][0]["total"] == before["forms"][0]["total"] + 10
    (bonus,) = service(after)["bonuses"]
    assert bonus["links"][0] == {
        "kind": "event",
        "id": made.get_json()["id"],
        "label": f"考核事件 #{made.get_json()['id']}",
        "url": f"/api/v1/assessment/events/{made.get_json()['id']}",
    }
    letter = viewer.get(bonus["links"][1]["url"])
    assert letter.status_code == 200 and letter.data == scene.PDF_BYTES
    assert letter.content_type == "application/pdf"


def test_the_scorecard_shape_and_period_errors(setup, auth):
    viewer = auth("viewer")
    body = viewer.get("/api/v1/assessment?period=2025").get_json()
    assert body["period"]["first"] == "2025-01-01" and body["period"]["last"] == "2025-12-31"
    assert [f["code"] for f in body["forms"]] == ["av", "software"]
    assert [f["max_points"] for f in body["forms"]] == [100, 100]
    assert body["money"]["at_stake"] == 357_450
    # no daily check, no visit all year: the daily-inspection line is 0
    assert body["forms"][0]["lines"][0]["score"] == 0
    ranged = viewer.get("/api/v1/assessment?from=2025-03-01&to=2025-03-31").get_json()
    assert ranged["period"]["label"] == "2025-03-01..2025-03-31"
    for query, field, status in [
        ("period=2025-13", "period", 422),
        ("period=2025-03-31..2025-03-01", "period", 422),
        ("period=2026Q1", "period", 422),
        ("from=2024-01-01&to=2024-02-01", "from", 422),
        ("from=2025-01-01", "to", 422),
        ("period=2025&from=2025-01-01&to=2025-01-02", "period", 422),
        ("year=2025", "year", 422),
    ]:
        answer = viewer.get(f"/api/v1/assessment?{query}")
        assert answer.status_code == status, (query, answer.get_json())
        assert field in answer.get_json()["error"]["errors"]["query"], query


def test_bad_events_are_422_with_codes(setup, auth):
    supervisor = auth("supervisor")
    no_evidence = {**_praise("0" * 64), "attachments": []}
    answer = supervisor.post("/api/v1/assessment/events", json=no_evidence)
    assert answer.status_code == 422
    assert answer.get_json()["error"]["errors"] == {"json": {"attachments": ["evidence_required"]}}
    wrong = supervisor.post("/api/v1/assessment/events", json={**no_evidence, "rule": "nope"})
    assert wrong.get_json()["error"]["errors"] == {"json": {"rule": ["unknown_rule"]}}
    missing = supervisor.post("/api/v1/assessment/events", json={"form": "av"})
    assert missing.status_code == 422
    assert {"item", "rule", "occurred_on", "description"} <= set(
        missing.get_json()["error"]["errors"]["json"]
    )
    _, bad = _upload(supervisor, b"GIF89a not allowed", "image/gif")
    assert bad.status_code == 422
    _, fake = _upload(supervisor, b"not a pdf at all", "application/pdf")
    assert fake.get_json()["error"]["errors"] == {"body": ["not_a_pdf"]}
    future = {**no_evidence, "rule": "late_or_inaccurate", "item": "attitude"}
    late = supervisor.post(
        "/api/v1/assessment/events", json={**future, "occurred_on": "2026-02-01"}
    )
    assert late.get_json()["error"]["errors"] == {"json": {"occurred_on": ["outside_term"]}}


def test_supersede_and_history(setup, auth):
    supervisor, viewer = auth("supervisor"), auth("viewer")
    event = {
        "form": "av",
        "item": "attitude",
        "rule": "late_or_inaccurate",
        "occurred_on": "2025-11-03",
        "description": "report sent a day late",
    }
    first = supervisor.post("/api/v1/assessment/events", json=event).get_json()
    fixed = supervisor.post(
        f"/api/v1/assessment/events/{first['id']}/supersede",
        json={
            "description": "it was two incidents' worth: no answer for 40 min",
            "rule": "no_response_30min",
            "points": -2,
        },
    )
    assert fixed.status_code == 201, fixed.get_json()
    assert fixed.get_json()["supersedes_id"] == first["id"]
    again = supervisor.post(
        f"/api/v1/assessment/events/{first['id']}/supersede", json={"description": "x"}
    )
    assert again.status_code == 409
    current = viewer.get("/api/v1/assessment/events?period=2025").get_json()["items"]
    assert [e["id"] for e in current] == [fixed.get_json()["id"]]
    history = viewer.get("/api/v1/assessment/events?period=2025&history=true").get_json()
    assert [e["superseded_by_id"] for e in history["items"]] == [fixed.get_json()["id"], None]
    assert viewer.post("/api/v1/assessment/events", json=event).status_code == 403
    line = viewer.get("/api/v1/assessment?period=2025-11").get_json()["forms"][0]["lines"][5]
    assert (line["code"], line["score"]) == ("attitude", 8)


def test_events_are_audited_and_engineers_see_nothing(setup, auth, db):
    import sqlalchemy as sa

    from server.models import AuditLog

    supervisor, engineer = auth("supervisor"), auth("engineer")
    event = {
        "form": "software",
        "item": "backup",
        "rule": "missed_backup",
        "occurred_on": "2025-08-01",
        "description": "July's backup of the conference records did not run",
    }
    made = supervisor.post("/api/v1/assessment/events", json=event).get_json()
    rows = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "assessment_event")
    ).all()
    assert [(r.entity_id, r.actor_id, r.action) for r in rows] == [
        (str(made["id"]), supervisor.user.id, "create")
    ]
    assert engineer.get("/api/v1/assessment?period=2025").status_code == 403
    assert engineer.get(f"/api/v1/assessment/events/{made['id']}").status_code == 403
