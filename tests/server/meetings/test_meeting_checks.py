"""Arrival, site confirmation and joint-test records pushed through the real sync endpoint:
stored once, refused per record with a code, flagged, and marking the meeting's checks done."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import MeetingCheck, SyncReceipt, Visit
from tests.server.meetings.helpers import START, body
from tests.sync_records import recorded_at

ARRIVAL = "a0000000-0000-4000-8000-000000000001"
CONFIRM = "b0000000-0000-4000-8000-000000000001"
TEST = "c0000000-0000-4000-8000-000000000001"


def _meeting(scene) -> dict:
    made = scene["boss"].post("/api/v1/meetings", json=body(scene))
    assert made.status_code == 201, made.get_json()
    return made.get_json()


def _site(meeting, code) -> int:
    return next(s["id"] for s in meeting["sites"] if s["code"] == code)


def _records(meeting, site_id, sound="pass"):
    at = START - timedelta(minutes=70)
    return [
        recorded_at(
            ARRIVAL,
            "meeting_arrival",
            {"meeting_id": meeting["id"], "arrived_at": at.isoformat()},
            at,
        ),
        recorded_at(
            CONFIRM,
            "meeting_site_confirmation",
            {
                "meeting_id": meeting["id"],
                "site_id": site_id,
                "confirmed_by": "遵义市局 王老师",
                "confirmed_at": (at + timedelta(minutes=30)).isoformat(),
                "note": "已开机",
            },
            at + timedelta(minutes=30),
        ),
        recorded_at(
            TEST,
            "meeting_joint_test",
            {
                "meeting_id": meeting["id"],
                "site_id": site_id,
                "sound": sound,
                "picture": "pass",
                "pc_content": "pass",
                "note": None,
                "tested_at": (at + timedelta(minutes=50)).isoformat(),
            },
            at + timedelta(minutes=50),
        ),
    ]


def _push(client, records):
    response = client.post("/api/v1/sync/push", json={"records": records})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _phone(scene, auth, index=0):
    return auth("engineer", scene["engineers"][index])


def test_each_type_is_stored_once_under_replay(scene, auth):
    meeting = _meeting(scene)
    site = _site(meeting, "520100")
    phone = _phone(scene, auth)
    records = _records(meeting, site)
    first = _push(phone, records)
    assert [r["status"] for r in first] == ["created"] * 3
    again = _push(phone, records)
    assert [r["status"] for r in again] == ["duplicate"] * 3
    assert [r["id"] for r in again] == [r["id"] for r in first]
    rows = {r.kind: r for r in db.session.scalars(sa.select(MeetingCheck))}
    assert sorted(rows) == ["arrival", "joint_test", "site_confirmation"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(SyncReceipt)) == 3
    confirmation = rows["site_confirmation"]
    assert confirmation.user_id == scene["engineers"][0].id
    assert (confirmation.site_id, confirmation.confirmed_by) == (site, "遵义市局 王老师")
    assert confirmation.at == START - timedelta(minutes=40)
    assert confirmation.client_time == START - timedelta(minutes=40)
    assert confirmation.server_time is not None and confirmation.lat == 26.57
    assert rows["arrival"].site_id is None and rows["arrival"].flags is None
    assert (rows["joint_test"].sound, rows["joint_test"].pc_content) == ("pass", "pass")


def _cancel(scene, meeting):
    done = scene["boss"].post(f"/api/v1/meetings/{meeting['id']}/cancel", json={"reason": "延期"})
    assert done.status_code == 200, done.get_json()


REFUSALS = {
    "unknown": ("meeting_unknown", "meeting_id"),
    "cancelled": ("meeting_cancelled", "meeting_id"),
    "site": ("site_not_in_meeting", "site_id"),
}
CASES = [(i, p) for i in (0, 1, 2) for p in REFUSALS if not (i == 0 and p == "site")]


@pytest.mark.parametrize("index,problem", CASES)  # index: arrival, confirmation, joint test
def test_each_refusal_stands_alone_with_its_code_and_writes_nothing(
    scene, auth, reference_data, index, problem
):
    code, field = REFUSALS[problem]
    meeting = _meeting(scene)
    bad = _records(meeting, _site(meeting, "520100"))[index]
    if problem == "unknown":
        bad["data"]["meeting_id"] = 999999
    elif problem == "cancelled":
        _cancel(scene, meeting)
    else:
        bad["data"]["site_id"] = reference_data["sites"]["522300"].id
    other = _meeting(scene)  # a good record of another meeting in the same batch
    good = _records(other, _site(other, "520200"))[index]
    good["uuid"] = "d0000000-0000-4000-8000-000000000001"
    results = {r["uuid"]: r for r in _push(_phone(scene, auth), [bad, good])}
    refused = results[bad["uuid"]]
    assert (refused["status"], refused["code"]) == ("rejected", code), refused
    assert field in refused["errors"]["data"]
    assert results[good["uuid"]]["status"] == "created"
    stored = db.session.scalars(sa.select(MeetingCheck)).all()
    assert [r.meeting_id for r in stored] == [other["id"]]
    receipts = db.session.scalars(sa.select(SyncReceipt.uuid)).all()
    assert receipts == [good["uuid"]]


def test_bad_data_is_refused_as_invalid(scene, auth):
    meeting = _meeting(scene)
    record = _records(meeting, _site(meeting, "520100"))[2]
    record["data"]["sound"] = "so-so"
    [answer] = _push(_phone(scene, auth), [record])
    assert (answer["status"], answer["code"]) == ("rejected", "invalid")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(MeetingCheck)) == 0


def test_a_user_not_assigned_is_stored_and_flagged(scene, auth, factory):
    meeting = _meeting(scene)
    stranger = factory.user("engineer")
    results = _push(auth("engineer", stranger), _records(meeting, _site(meeting, "520100")))
    assert [r["status"] for r in results] == ["created"] * 3
    for record in db.session.scalars(sa.select(MeetingCheck)):
        assert record.flags == [
            {
                "code": "not_assigned",
                "params": {"meeting": meeting["id"], "user": stranger.display_name},
            }
        ]
    detail = scene["boss"].get(f"/api/v1/meetings/{meeting['id']}").get_json()
    arrivals = [c for c in detail["due_checks"] if c["kind"] == "arrival"]
    assert {c["state"] for c in arrivals} == {"due"}  # a stranger's arrival is no one's check


def test_the_records_mark_their_checks_done_and_a_fail_shows(scene, auth):
    meeting = _meeting(scene)
    site = _site(meeting, "520100")
    engineer = scene["engineers"][0]
    _push(_phone(scene, auth), _records(meeting, site, sound="fail"))
    detail = scene["boss"].get(f"/api/v1/meetings/{meeting['id']}")
    assert detail.status_code == 200, detail.get_json()
    checks = {c["key"]: c for c in detail.get_json()["due_checks"]}
    arrival = checks[f"arrival:{engineer.id}"]
    assert (arrival["state"], arrival["done_by_user_id"]) == ("done", engineer.id)
    assert arrival["done_at"] == "2026-12-02T23:50:00Z" and arrival["result"] is None
    assert checks[f"arrival:{scene['engineers'][1].id}"]["state"] == "due"
    assert checks[f"switch_on:{site}"]["state"] == "done"
    assert checks[f"switch_on:{site}"]["done_at"] == "2026-12-03T00:20:00Z"
    test = checks[f"joint_test:{site}"]
    assert test["state"] == "done" and test["done_at"] == "2026-12-03T00:40:00Z"
    assert test["result"] == {
        "sound": "fail",
        "picture": "pass",
        "pc_content": "pass",
        "outcome": "fail",
        "note": None,
    }
    other = _site(meeting, "520200")
    assert checks[f"joint_test:{other}"]["state"] == "due"
    assert checks[f"switch_on:{other}"]["state"] == "due"

    retest = _records(meeting, site)[2]
    retest["uuid"] = "e0000000-0000-4000-8000-000000000001"
    retest["data"]["tested_at"] = (START - timedelta(minutes=10)).isoformat()
    _push(_phone(scene, auth), [retest])
    checks = {
        c["key"]: c
        for c in scene["boss"].get(f"/api/v1/meetings/{meeting['id']}").get_json()["due_checks"]
    }
    assert checks[f"joint_test:{site}"]["result"]["outcome"] == "pass"
    assert checks[f"joint_test:{site}"]["done_at"] == "2026-12-03T00:50:00Z"


def test_the_pack_names_sites_by_id(scene, auth, reference_data):
    meeting = _meeting(scene)
    pack = _phone(scene, auth).get("/api/v1/sync/pull").get_json()
    [sent] = pack["meetings"]
    assert sent["id"] == meeting["id"]
    assert sent["host_site_id"] == scene["host"].id
    by_code = {s["code"]: s["id"] for s in sent["sites"]}
    assert by_code["520300"] == reference_data["sites"]["520300"].id


def _visit(meeting_id, uuid="f0000000-0000-4000-8000-000000000001"):
    done = START - timedelta(minutes=35)
    return recorded_at(
        uuid,
        "visit",
        {
            "site_code": "520000",
            "inspection_kind": "pre_meeting",
            "started_at": (done - timedelta(minutes=20)).isoformat(),
            "finished_at": done.isoformat(),
            "meeting_id": meeting_id,
        },
        done,
    )


def test_a_pre_meeting_visit_with_its_meeting_marks_the_checklist_done(scene, auth):
    meeting = _meeting(scene)
    [answer] = _push(_phone(scene, auth), [_visit(meeting["id"])])
    assert answer["status"] == "created", answer
    assert db.session.scalar(sa.select(Visit.meeting_id)) == meeting["id"]
    checks = scene["boss"].get(f"/api/v1/meetings/{meeting['id']}").get_json()["due_checks"]
    checklist = next(c for c in checks if c["kind"] == "checklist")
    assert checklist["state"] == "done" and checklist["done_at"] == "2026-12-03T00:25:00Z"


def test_a_visit_naming_an_unknown_meeting_is_refused(scene, auth):
    [answer] = _push(_phone(scene, auth), [_visit(999999)])
    assert (answer["status"], answer["code"]) == ("rejected", "meeting_unknown"), answer
    assert "meeting_id" in answer["errors"]["data"]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 0


def test_a_visit_without_a_meeting_still_belongs_to_none(scene, auth):
    record = _visit(None)
    del record["data"]["meeting_id"]
    [answer] = _push(_phone(scene, auth), [record])
    assert answer["status"] == "created", answer
    assert db.session.scalar(sa.select(Visit.meeting_id)) is None


def test_a_changed_replay_is_a_conflict_and_the_first_version_stays(scene, auth):
    meeting = _meeting(scene)
    phone = _phone(scene, auth)
    confirmation = _records(meeting, _site(meeting, "520100"))[1]
    _push(phone, [confirmation])
    changed = {**confirmation, "data": {**confirmation["data"], "note": "改了"}}
    [answer] = _push(phone, [changed])
    assert answer["status"] == "conflict" and answer["conflict_id"], answer
    [stored] = db.session.scalars(sa.select(MeetingCheck)).all()
    assert stored.note == "已开机"


def test_a_supervisor_receives_an_engineers_records_and_the_engineer_made_them(scene, auth):
    meeting = _meeting(scene)
    engineer = scene["engineers"][1]
    records = [
        {**r, "made_by": engineer.username} for r in _records(meeting, _site(meeting, "520100"))
    ]
    assert [r["status"] for r in _push(scene["boss"], records)] == ["created"] * 3
    for record in db.session.scalars(sa.select(MeetingCheck)):
        assert record.user_id == engineer.id and record.flags is None
    checks = scene["boss"].get(f"/api/v1/meetings/{meeting['id']}").get_json()["due_checks"]
    arrival = next(c for c in checks if c["key"] == f"arrival:{engineer.id}")
    assert arrival["state"] == "done" and arrival["done_by_user_id"] == engineer.id


def test_the_timeline_shows_each_check_record_and_the_visit_with_both_clocks(scene, auth):
    meeting = _meeting(scene)
    site = _site(meeting, "520100")
    answers = _push(_phone(scene, auth), [*_records(meeting, site), _visit(meeting["id"])])
    assert [a["status"] for a in answers] == ["created"] * 4, answers
    timeline = scene["boss"].get(f"/api/v1/meetings/{meeting['id']}/timeline").get_json()
    items = {i["kind"]: i for i in timeline["items"]}
    confirmation = items["site_confirmation"]
    assert confirmation["details"]["confirmed_by"] == "遵义市局 王老师"
    assert confirmation["details"]["site_id"] == site and confirmation["details"]["site_name"]
    assert confirmation["at"] == confirmation["recorded_at"] == "2026-12-03T00:20:00Z"
    assert confirmation["received_at"] and confirmation["user_name"]
    assert items["arrival"]["at"] == "2026-12-02T23:50:00Z"
    assert items["joint_test"]["details"]["sound"] == "pass"
    visit = items["pre_meeting_visit"]
    assert visit["details"]["finished_at"] == "2026-12-03T00:25:00Z"
    assert visit["details"]["site_name"] and visit["details"]["inspections"] == 0
    kinds = [i["kind"] for i in timeline["items"]]
    assert kinds.index("arrival") < kinds.index("site_confirmation") < kinds.index("joint_test")
