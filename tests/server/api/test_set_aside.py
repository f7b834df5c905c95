"""A refused record set aside with a reason (issue 17): stored whole, once, listed for
supervisors in the review queue; a record the server holds cannot be set aside."""

from __future__ import annotations

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
