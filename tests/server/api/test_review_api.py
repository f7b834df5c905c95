"""The review queues' API: a conflict's two versions side by side, a dismissal that needs a reason,
and the records with a clock warning or a required photo missing (GET /review/records)."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest

from tests import sync_records as rec
from tests.server.api.test_sync import PULL, PUSH, _tag

CONFLICTS = "/api/v1/sync/conflicts"
RECORDS = "/api/v1/review/records"


def _push(client, records, **extra):
    response = client.post(PUSH, json={"records": records, **extra})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _templates(client) -> list[dict]:
    return [
        t for t in client.get(PULL).get_json()["templates"] if t["inspection_kind"] == "quarterly"
    ]


def _pass_fail_template(client) -> dict:
    return next(t for t in _templates(client) if any(i["type"] == "pass_fail" for i in t["items"]))


def _photo_template(client) -> dict:
    return next(t for t in _templates(client) if any(i.get("photo_required") for i in t["items"]))


@pytest.fixture
def conflict(reference_data, auth):
    """Two engineers' phones pushed one UUID: the second answered a check `fail` and added a note."""
    first, second = auth("engineer"), auth("engineer")
    template = _pass_fail_template(first)
    record = rec.inspection(template, _tag())
    assert _push(first, [record])[0]["status"] == "created"
    changed = copy.deepcopy(record)
    item = next(i for i in template["items"] if i["type"] == "pass_fail")
    next(r for r in changed["data"]["results"] if r["key"] == item["key"])["value"] = "fail"
    changed["data"]["notes"] = "镜头有划痕"
    answer = _push(second, [changed])[0]
    assert answer["status"] == "conflict"
    return {
        "id": answer["conflict_id"],
        "item": item,
        "first": first,
        "second": second,
        "uuid": record["uuid"],
    }


def test_a_conflict_shows_both_versions_field_by_field(conflict, auth):
    supervisor = auth("supervisor")
    body = supervisor.get(f"{CONFLICTS}/{conflict['id']}").get_json()
    assert body["user"]["username"] == conflict["second"].user.username
    assert body["original"]["user"]["username"] == conflict["first"].user.username
    assert body["client_time"].endswith("Z") and body["original"]["clock_skew_seconds"] == 0
    versions = body["versions"]
    assert versions["kind"] == "inspection" and versions["template"]["name_zh"]
    fields = {row["field"]: row for row in versions["fields"]}
    assert fields["notes"] == {
        "field": "notes",
        "server": None,
        "phone": "镜头有划痕",
        "differs": True,
    }
    assert not fields["client_time"]["differs"] and not fields["tag"]["differs"]
    items = {row["key"]: row for row in versions["items"]}
    changed = items[conflict["item"]["key"]]
    assert changed["differs"] and changed["label_zh"] == conflict["item"]["label_zh"]
    assert (changed["server"]["outcome"], changed["phone"]["outcome"]) == ("pass", "fail")
    assert versions["differences"] == 2 == sum(r["differs"] for r in versions["items"]) + 1
    listed = supervisor.get(f"{CONFLICTS}?state=open").get_json()["items"]
    assert listed[0]["versions"]["differences"] == 2


def test_a_visit_conflict_compares_its_fields(reference_data, auth):
    engineer, supervisor = auth("engineer"), auth("supervisor")
    visit = rec.visit("520000")
    _push(engineer, [visit])
    changed = copy.deepcopy(visit)
    changed["data"]["summary"] = "会议室已整理"
    conflict_id = _push(engineer, [changed])[0]["conflict_id"]
    versions = supervisor.get(f"{CONFLICTS}/{conflict_id}").get_json()["versions"]
    fields = {row["field"]: row for row in versions["fields"]}
    assert versions["kind"] == "visit" and versions["items"] == [] and versions["differences"] == 1
    assert fields["summary"]["differs"] and fields["site_code"]["server"] == "520000"
    assert not fields["started_at"]["differs"]


def test_a_dismissal_needs_a_reason_and_an_acceptance_stores_one_correction(conflict, auth):
    supervisor = auth("supervisor")
    url = f"{CONFLICTS}/{conflict['id']}/resolve"
    for note in (None, "", "   "):
        refused = supervisor.post(url, json={"resolution": "dismissed", "note": note})
        assert refused.status_code == 422, refused.get_json()
        error = refused.get_json()["error"]
        assert error["code_name"] == "reason_required" and "note" in error["errors"]["json"]
    assert supervisor.get(f"{CONFLICTS}/{conflict['id']}").get_json()["state"] == "open"
    accepted = supervisor.post(url, json={"resolution": "accepted"})
    assert accepted.status_code == 200, accepted.get_json()
    new_uuid = accepted.get_json()["accepted_uuid"]
    tag = supervisor.get(f"/api/v1/inspections/{conflict['uuid']}").get_json()["tag"]
    stored = supervisor.get(f"/api/v1/inspections?tag={tag}").get_json()["items"]
    assert sorted(i["uuid"] for i in stored) == sorted([conflict["uuid"], new_uuid])
    original = next(i for i in stored if i["uuid"] == conflict["uuid"])
    assert original["superseded_by"] == [new_uuid]
    assert supervisor.post(url, json={"resolution": "accepted"}).status_code == 409


def test_dismissed_with_a_reason_keeps_the_note(conflict, auth):
    supervisor = auth("supervisor")
    answer = supervisor.post(
        f"{CONFLICTS}/{conflict['id']}/resolve",
        json={"resolution": "dismissed", "note": " 重复提交 "},
    )
    assert answer.status_code == 200 and answer.get_json()["resolution_note"] == "重复提交"


def test_records_with_a_clock_warning_or_a_missing_required_photo(reference_data, auth):
    engineer, supervisor = auth("engineer"), auth("supervisor")
    template = _photo_template(engineer)
    late = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    skewed = rec.inspection(template, _tag(1), photo="a" * 64)
    _push(engineer, [skewed], sent_at=late)
    fine = rec.inspection(template, _tag(2), photo="b" * 64)
    no_photo = rec.inspection(template, _tag(3))  # photo items answered pass with no photo
    _push(engineer, [fine, no_photo], sent_at=datetime.now(UTC).isoformat())

    clock = supervisor.get(f"{RECORDS}?kind=clock").get_json()
    assert [i["uuid"] for i in clock["items"]] == [skewed["uuid"]] and clock["total"] == 1
    row = clock["items"][0]
    assert row["clock_warning"] and row["clock_skew_seconds"] < -1000
    assert row["user"]["username"] == engineer.user.username and row["missing_photos"] == ["a" * 64]
    photos = supervisor.get(f"{RECORDS}?kind=photos").get_json()
    assert [i["uuid"] for i in photos["items"]] == [no_photo["uuid"]]
    required = [i for i in template["items"] if i.get("photo_required")]
    assert [i["label_zh"] for i in photos["items"][0]["no_photo_items"]] == [
        i["label_zh"] for i in required
    ]

    # A valid correction (same engineer, same device) takes the original off the queue.
    correction = rec.inspection(template, _tag(1), photo="a" * 64, supersedes=skewed["uuid"])
    _push(engineer, [correction], sent_at=datetime.now(UTC).isoformat())
    assert supervisor.get(f"{RECORDS}?kind=clock").get_json()["total"] == 0


def test_records_default_to_the_clock_queue_and_need_a_manager(reference_data, auth):
    supervisor = auth("supervisor")
    assert supervisor.get(RECORDS).get_json() == supervisor.get(f"{RECORDS}?kind=clock").get_json()
    assert supervisor.get(f"{RECORDS}?kind=other").status_code == 422
    assert auth("viewer").get(f"{RECORDS}?kind=clock").status_code == 403
    assert auth("engineer").get(f"{RECORDS}?kind=photos").status_code == 403


@pytest.mark.parametrize("original_first", [True, False])
def test_a_correction_a_supervisor_received_counts_as_the_supervisors(
    reference_data, auth, original_first
):
    """An engineer's correction of another engineer's inspection, received by a supervisor (a shared
    phone, or an accepted conflict): valid whether the original arrived before it or after."""
    maker, other, supervisor = auth("engineer"), auth("engineer"), auth("supervisor")
    template = _pass_fail_template(maker)
    original = rec.inspection(template, _tag(5))
    correction = dict(
        rec.inspection(template, _tag(5), supersedes=original["uuid"]),
        made_by=other.user.username,
    )
    if original_first:
        _push(maker, [original])
    assert _push(supervisor, [correction])[0]["status"] == "created"
    if not original_first:
        _push(maker, [original])
    stored = supervisor.get(f"/api/v1/inspections/{correction['uuid']}").get_json()
    assert (stored["user_id"], stored["supersede_state"]) == (other.user.id, "valid")
