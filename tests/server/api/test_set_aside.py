"""A refused record set aside with a reason (issue 17): stored whole, once, listed for
supervisors in the review queue; a record the server holds cannot be set aside."""

from __future__ import annotations

import uuid

import sqlalchemy as sa

from server import tags
from server.models import SetAside
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"
SET_ASIDE = "/api/v1/sync/set-aside"


def refused(engineer) -> dict:
    """An inspection the server rejects (no checklist), with the answer's code."""
    record = rec.inspection(
        {"id": None, "version": None, "inspection_kind": "quarterly", "items": []},
        tags.make_tag(71001),
    )
    (answer,) = engineer.post(PUSH, json={"records": [record]}).get_json()["results"]
    assert answer["status"] == "rejected"
    return {**record, "code": answer["code"]}


def note(record: dict, reason: str = "设备已拆除，无法补录") -> dict:
    return {
        "record_uuid": record["uuid"],
        "record_type": record["type"],
        "code": record["code"],
        "reason": reason,
        "record": {
            "type": record["type"],
            "client_time": record["client_time"],
            "data": record["data"],
        },
    }


def test_set_aside_is_stored_once_and_listed_for_supervisors(reference_data, auth, db):
    engineer = auth("engineer")
    record = refused(engineer)
    first = engineer.post(SET_ASIDE, json=note(record))
    assert first.status_code == 201, first.get_json()
    again = engineer.post(SET_ASIDE, json=note(record))
    assert again.status_code == 200 and again.get_json()["id"] == first.get_json()["id"]
    assert db.session.scalar(sa.select(sa.func.count(SetAside.id))) == 1

    listed = auth("supervisor").get("/api/v1/review/set-asides").get_json()
    (row,) = listed["items"]
    assert row["record_uuid"] == record["uuid"] and row["code"] == "invalid"
    assert row["reason"] == "设备已拆除，无法补录" and row["tag"] == record["data"]["tag"]
    assert row["record"]["data"]["results"] == record["data"]["results"]
    assert row["user"]["username"] == engineer.user.username


def test_a_reason_is_required_and_nothing_is_written_without_it(reference_data, auth, db):
    engineer = auth("engineer")
    record = refused(engineer)
    for reason in ("", "   "):
        answer = engineer.post(SET_ASIDE, json=note(record, reason))
        assert answer.status_code == 422
        assert "reason" in answer.get_json()["error"]["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(SetAside.id))) == 0


def test_a_stored_record_cannot_be_set_aside(reference_data, auth, db):
    engineer = auth("engineer")
    visit = rec.visit("520000")
    assert engineer.post(PUSH, json={"records": [visit]}).get_json()["results"][0]["status"] == (
        "created"
    )
    answer = engineer.post(SET_ASIDE, json=note({**visit, "code": None}))
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert error["code_name"] == "already_stored" and "record_uuid" in error["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(SetAside.id))) == 0


def test_the_dashboard_counts_set_aside_and_never_arrived_records(reference_data, auth, db):
    """The office dashboard's review tile counts what /review lists: set-aside records too, and
    the records a phone held unsent that never reached the server."""
    engineer, supervisor = auth("engineer"), auth("supervisor")
    review = supervisor.get("/api/v1/dashboard").get_json()["review"]
    assert (review["set_aside"], review["lost"]) == (0, 0)
    for n in range(2):
        assert engineer.post(SET_ASIDE, json=note(refused_n(engineer, n))).status_code == 201
    held = [str(uuid.uuid4()) for _ in range(3)]
    report = "/api/v1/sync/report"
    assert (
        engineer.post(
            report, json={"phone_id": "phone-dash-0001", "waiting": 3, "uuids": held}
        ).status_code
        == 200
    )
    assert (
        engineer.post(
            report, json={"phone_id": "phone-dash-0001", "waiting": 0, "uuids": []}
        ).status_code
        == 200
    )
    review = supervisor.get("/api/v1/dashboard").get_json()["review"]
    assert (review["set_aside"], review["lost"]) == (2, 3)
    listed = supervisor.get("/api/v1/review/set-asides").get_json()
    assert listed["total"] == review["set_aside"]


def refused_n(engineer, n: int) -> dict:
    """refused() for a tag of its own (several refused records in one test)."""
    record = rec.inspection(
        {"id": None, "version": None, "inspection_kind": "quarterly", "items": []},
        tags.make_tag(71100 + n),
    )
    (answer,) = engineer.post(PUSH, json={"records": [record]}).get_json()["results"]
    assert answer["status"] == "rejected"
    return {**record, "code": answer["code"]}
