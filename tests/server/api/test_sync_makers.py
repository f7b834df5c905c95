"""A shared phone: records are pushed by the user who made them (`made_by`); a supervisor may
receive them with both names kept; an accepted conflict keeps its engineer as the author."""

from __future__ import annotations

import copy

import sqlalchemy as sa

from server.models import Inspection, SyncConflict, SyncReceipt
from tests import sync_records as rec
from tests.server.api.test_sync import PULL, PUSH, _tag, template_for


def _template(client) -> dict:
    return template_for(client.get(PULL).get_json())


def _push(client, records):
    response = client.post(PUSH, json={"records": records})
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def _receipt(db, uuid) -> SyncReceipt:
    return db.session.scalar(sa.select(SyncReceipt).where(SyncReceipt.uuid == uuid))


def test_another_engineer_cannot_push_a_record_made_by_someone_else(reference_data, auth, db):
    maker, other = auth("engineer"), auth("engineer")
    record = dict(rec.inspection(_template(other), _tag()), made_by=maker.user.username)
    answer = _push(other, [record])[0]
    assert (answer["status"], answer["code"]) == ("rejected", "other_user"), answer
    assert maker.user.username in answer["reason"] and answer["errors"] == {
        "made_by": ["another user"]
    }
    assert db.session.scalar(sa.select(sa.func.count(Inspection.id))) == 0
    assert _push(maker, [record])[0]["status"] == "created"
    stored = db.session.scalar(sa.select(Inspection))
    assert stored.user_id == maker.user.id
    assert _receipt(db, record["uuid"]).received_by_id is None


def test_the_maker_pushing_with_made_by_is_a_normal_push(reference_data, auth, db):
    engineer = auth("engineer")
    record = dict(rec.inspection(_template(engineer), _tag()), made_by=engineer.user.username)
    assert _push(engineer, [record])[0]["status"] == "created"
    # made_by is transport, not content: the same record without it is a duplicate
    bare = {k: v for k, v in record.items() if k != "made_by"}
    assert _push(engineer, [bare])[0]["status"] == "duplicate"


def test_without_made_by_the_pusher_is_the_author_as_before(reference_data, auth, db):
    engineer = auth("engineer")
    record = rec.inspection(_template(engineer), _tag())
    assert _push(engineer, [record])[0]["status"] == "created"
    assert db.session.scalar(sa.select(Inspection)).user_id == engineer.user.id


def test_a_supervisor_receives_another_users_records_with_both_names_kept(reference_data, auth, db):
    maker = auth("engineer")
    for role in ("supervisor", "admin"):
        receiver = auth(role)
        record = dict(rec.inspection(_template(receiver), _tag()), made_by=maker.user.username)
        assert _push(receiver, [record])[0]["status"] == "created"
        stored = db.session.scalar(sa.select(Inspection).where(Inspection.uuid == record["uuid"]))
        receipt = _receipt(db, record["uuid"])
        assert (stored.user_id, receipt.user_id, receipt.received_by_id) == (
            maker.user.id,
            maker.user.id,
            receiver.user.id,
        )
        # the maker's own retry later is a duplicate, not a second record
        assert _push(maker, [record])[0]["status"] == "duplicate"


def test_made_by_naming_no_user_or_not_a_name_is_invalid(reference_data, auth, db):
    supervisor = auth("supervisor")
    template = _template(supervisor)
    cases = (
        ("nobody-here", "no such user"),
        (42, "not a username"),
        ("", "not a username"),
        ("li\x00", "not a username"),
        ("li\ud83d", "not a username"),
        ("x" * 65, "not a username"),
    )
    for made_by, error in cases:
        record = dict(rec.inspection(template, _tag()), made_by=made_by)
        answer = _push(supervisor, [record])[0]
        assert (answer["status"], answer["code"], list(answer["errors"])) == (
            "rejected",
            "invalid",
            ["made_by"],
        ), answer
        if "\x00" not in str(made_by) and "\ud83d" not in str(made_by):  # else: sync_limits' words
            assert answer["errors"]["made_by"] == [error], answer
    assert db.session.scalar(sa.select(sa.func.count(Inspection.id))) == 0


def test_a_supervisor_cannot_receive_records_of_a_viewer(reference_data, auth, db):
    viewer, supervisor = auth("viewer"), auth("supervisor")
    record = dict(rec.inspection(_template(supervisor), _tag()), made_by=viewer.user.username)
    answer = _push(supervisor, [record])[0]
    assert (answer["status"], answer["code"]) == ("rejected", "forbidden"), answer


def test_an_accepted_conflict_keeps_the_engineer_as_author_and_the_supervisor_as_acceptor(
    reference_data, auth, db
):
    engineer, supervisor = auth("engineer"), auth("supervisor")
    record = rec.inspection(_template(engineer), _tag())
    _push(engineer, [record])
    changed = copy.deepcopy(record)
    changed["data"]["notes"] = "edited on the phone after sending"
    conflict_id = _push(engineer, [changed])[0]["conflict_id"]
    resolved = supervisor.post(
        f"/api/v1/sync/conflicts/{conflict_id}/resolve", json={"resolution": "accepted"}
    )
    assert resolved.status_code == 200, resolved.get_json()
    new_uuid = resolved.get_json()["accepted_uuid"]
    new = db.session.scalar(sa.select(Inspection).where(Inspection.uuid == new_uuid))
    assert new.user_id == engineer.user.id and new.supersedes_uuid == record["uuid"]
    receipt = _receipt(db, new_uuid)
    assert (receipt.user_id, receipt.received_by_id) == (engineer.user.id, supervisor.user.id)
    conflict = db.session.get(SyncConflict, conflict_id)
    assert (conflict.user_id, conflict.resolved_by_id, conflict.state) == (
        engineer.user.id,
        supervisor.user.id,
        "accepted",
    )
