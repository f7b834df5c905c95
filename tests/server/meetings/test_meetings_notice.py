"""Importing a meeting notice (CSV/XLSX of sites), the pack section and the visit hook."""

from __future__ import annotations

import io
from datetime import timedelta

from openpyxl import Workbook

from server.extensions import db
from server.models import MeetingSite, Visit
from tests.server.meetings.helpers import START, body


def _upload(client, meeting_id, content: bytes, name="notice.csv"):
    return client.post(
        f"/api/v1/meetings/{meeting_id}/import",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def _made(scene):
    return scene["boss"].post("/api/v1/meetings", json=body(scene)).get_json()


def test_csv_notice_replaces_the_sites_by_code_or_name(scene):
    made = _made(scene)
    csv = "site,speaking\n520100,是\n遵义市医疗保障局,\n520400,no\n".encode()
    response = _upload(scene["boss"], made["id"], csv)
    assert response.status_code == 200, response.get_json()
    data = response.get_json()
    assert [s["code"] for s in data["sites"]] == ["520100", "520300", "520400"]
    assert [s["code"] for s in data["sites"] if s["speaking"]] == ["520100"]
    assert data["version"] == 2


def test_xlsx_notice(scene):
    made = _made(scene)
    book = Workbook()
    for row in (["site", "speaking"], ["520500", "yes"], ["520600", None]):
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    response = _upload(scene["boss"], made["id"], buffer.getvalue(), "notice.xlsx")
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["site_count"] == 2


def test_bad_rows_are_listed_and_nothing_changes(scene):
    made = _made(scene)
    before = db.session.query(MeetingSite).count()
    csv = b"site,speaking\n520100,yes\n999999,no\n520100,no\n520200,maybe\n"
    response = _upload(scene["boss"], made["id"], csv)
    assert response.status_code == 422
    rows = response.get_json()["error"]["errors"]["rows"]
    assert [(r["row"], r["column"]) for r in rows] == [(3, "site"), (4, "site"), (5, "speaking")]
    db.session.expire_all()
    assert db.session.query(MeetingSite).count() == before


def test_header_without_site_and_wrong_suffix(scene):
    made = _made(scene)
    response = _upload(scene["boss"], made["id"], b"code\n520100\n")
    assert response.status_code == 422 and "site" in response.get_json()["error"]["message"]
    response = _upload(scene["boss"], made["id"], b"site\n520100\n", "notice.txt")
    assert response.status_code == 422


def test_pack_has_the_engineers_next_meetings_with_checks(scene, auth):
    made = _made(scene)
    far = body(
        scene,
        starts_at=(START + timedelta(days=20)).isoformat(),
        ends_at=(START + timedelta(days=20, hours=1)).isoformat(),
    )
    scene["boss"].post("/api/v1/meetings", json=far)
    phone = auth("engineer", user=scene["engineers"][0])
    pack = phone.get("/api/v1/sync/pull").get_json()
    assert [m["id"] for m in pack["meetings"]] == [made["id"]]
    assert len(pack["meetings"][0]["due_checks"]) == 11
    # the phone's meeting records name sites by id: the pack's meeting sites carry it
    ids = {site["code"]: site["id"] for site in pack["sites"]}
    meeting = pack["meetings"][0]
    assert {s["code"]: s["id"] for s in meeting["sites"]} == {
        s["code"]: ids[s["code"]] for s in meeting["sites"]
    }
    assert meeting["host_site_id"] == scene["host"].id == ids[scene["host"].code]
    stranger = auth("engineer")
    assert stranger.get("/api/v1/sync/pull").get_json()["meetings"] == []


def test_an_ended_meeting_stays_in_the_pack_for_its_register(scene, auth, monkeypatch):
    from server.services.meetings import meetings, pack

    made = _made(scene)
    phone = auth("engineer", user=scene["engineers"][0])
    ends = START + timedelta(hours=2)
    later = ends + timedelta(hours=pack.REGISTER_HOURS)
    monkeypatch.setattr(meetings, "current_time", lambda: later - timedelta(minutes=1))
    assert [m["id"] for m in phone.get("/api/v1/sync/pull").get_json()["meetings"]] == [made["id"]]
    monkeypatch.setattr(meetings, "current_time", lambda: later)
    assert phone.get("/api/v1/sync/pull").get_json()["meetings"] == []


def test_a_finished_pre_meeting_visit_marks_the_checklist_done(scene):
    from datetime import UTC, datetime

    made = _made(scene)
    engineer = scene["engineers"][0]
    done_at = START - timedelta(minutes=40)
    db.session.add(
        Visit(
            uuid="9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d",
            user_id=engineer.id,
            client_time=datetime(2026, 12, 3, tzinfo=UTC),
            content_hash="x" * 64,
            site_id=scene["host"].id,
            inspection_kind="pre_meeting",
            started_at=done_at - timedelta(minutes=20),
            finished_at=done_at,
            meeting_id=made["id"],
        )
    )
    db.session.commit()
    checks = scene["boss"].get(f"/api/v1/meetings/{made['id']}").get_json()["due_checks"]
    checklist = next(c for c in checks if c["kind"] == "checklist")
    assert checklist["state"] == "done" and checklist["done_by_user_id"] == engineer.id
    assert checklist["done_at"] == "2026-12-03T00:20:00Z"
