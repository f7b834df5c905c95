"""Phones report their outbox at each sync (POST /sync/report): the server keeps the last report
per phone and user, and counts the records that vanished from a phone before they arrived
(GET /review/phones, the review queue's "never arrived" line)."""

from __future__ import annotations

import uuid

from tests import sync_records as rec
from tests.server.api.test_sync import PUSH

SITE = "520000"
REPORT = "/api/v1/sync/report"
PHONES = "/api/v1/review/phones"


def _report(client, phone_id, uuids, **extra):
    body = {"phone_id": phone_id, "waiting": len(uuids), "uuids": uuids, **extra}
    response = client.post(REPORT, json=body)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _uuids(n):
    return [str(uuid.uuid4()) for _ in range(n)]


def test_the_last_report_is_stored_per_phone_and_user(reference_data, auth, db):
    from server.models import PhoneReport

    engineer = auth("engineer")
    first = _uuids(3)
    answer = _report(engineer, "phone-aaaa-0001", first, oldest_at="2026-12-01T08:00:00+08:00")
    assert answer == {"phone_id": "phone-aaaa-0001", "waiting": 3, "never_arrived": 0}
    again = _report(engineer, "phone-aaaa-0001", first)  # a replayed report changes nothing
    assert again["never_arrived"] == 0
    rows = db.session.query(PhoneReport).all()
    assert len(rows) == 1 and rows[0].waiting == 3 and sorted(rows[0].uuids) == sorted(first)


def test_records_sent_in_between_are_not_lost(reference_data, auth):
    engineer = auth("engineer")
    visit = rec.visit(SITE)
    _report(engineer, "phone-aaaa-0002", [visit["uuid"]])
    assert engineer.post(PUSH, json={"records": [visit]}).status_code == 200
    assert _report(engineer, "phone-aaaa-0002", [])["never_arrived"] == 0
    assert auth("supervisor").get(PHONES).get_json()["total"] == 0


def test_a_phone_back_with_fewer_records_shows_them_never_arrived(reference_data, auth):
    engineer = auth("engineer")
    held = _uuids(4)
    _report(engineer, "phone-aaaa-0003", held)
    assert _report(engineer, "phone-aaaa-0003", held[:1])["never_arrived"] == 3
    supervisor = auth("supervisor")
    page = supervisor.get(PHONES).get_json()
    assert page["total"] == 1
    item = page["items"][0]
    assert item["never_arrived"] == 3 and item["phone_id"] == "phone-aaaa-0003"
    assert item["user"]["username"] == engineer.user.username
    assert sorted(item["uuids"]) == sorted(held[1:])


def test_a_wiped_phone_with_a_new_id_reports_the_old_ones_lost(reference_data, auth):
    engineer = auth("engineer")
    visit = rec.visit(SITE)
    lost = _uuids(2)
    _report(engineer, "phone-old-00001", [*lost, visit["uuid"]])
    assert engineer.post(PUSH, json={"records": [visit]}).status_code == 200  # it did arrive
    assert _report(engineer, "phone-new-00001", [])["never_arrived"] == 2
    items = auth("supervisor").get(PHONES).get_json()["items"]
    assert [(i["phone_id"], i["never_arrived"]) for i in items] == [("phone-old-00001", 2)]


def test_another_phone_still_holding_them_clears_the_warning(reference_data, auth):
    engineer = auth("engineer")
    held = _uuids(2)
    _report(engineer, "phone-one-00001", held)
    assert _report(engineer, "phone-two-00001", [])["never_arrived"] == 2
    assert _report(engineer, "phone-one-00001", held)["never_arrived"] == 0
    assert auth("supervisor").get(PHONES).get_json()["total"] == 0


def test_lost_records_that_arrive_later_leave_the_count(reference_data, auth):
    engineer = auth("engineer")
    visit = rec.visit(SITE)
    _report(engineer, "phone-aaaa-0004", [visit["uuid"]])
    assert _report(engineer, "phone-aaaa-0004", [])["never_arrived"] == 1
    assert engineer.post(PUSH, json={"records": [visit]}).status_code == 200
    assert auth("supervisor").get(PHONES).get_json()["total"] == 0


def test_other_users_reports_are_their_own(reference_data, auth):
    first, second = auth("engineer"), auth("engineer")
    _report(first, "phone-shared-01", _uuids(2))
    assert _report(second, "phone-shared-01", [])["never_arrived"] == 0
    assert auth("supervisor").get(PHONES).get_json()["total"] == 0


def test_a_bad_report_is_a_clear_422(reference_data, auth):
    engineer = auth("engineer")
    for body in (
        {"phone_id": "short", "waiting": 0},
        {"phone_id": "phone-aaaa-0005", "waiting": -1},
        {"phone_id": "phone-aaaa-0005", "waiting": 1, "uuids": ["not-a-uuid"]},
        {"phone_id": "phone-aaaa-0005", "waiting": 501, "uuids": _uuids(501)},
    ):
        response = engineer.post(REPORT, json=body)
        assert response.status_code == 422, body
        assert response.get_json()["error"]["errors"]["json"]
