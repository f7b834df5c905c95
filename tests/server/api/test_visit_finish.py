"""Finishing a visit pushed when it started: the `visit_finish` record (issue 11, protocol).

Re-sending the visit with `finished_at` filled in is a conflict by design (same UUID, other
content), so a client that sends its visit early had no way to finish it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db as _db
from server.models import VisitFinish
from tests import sync_records as rec
from tests.server.api.test_sync import push


@pytest.fixture
def engineer(reference_data, auth):
    return auth("engineer")


def at(minutes: int) -> str:
    return (datetime.now(UTC) + timedelta(minutes=minutes)).isoformat()


def finish(visit: dict, minutes: int = 0, summary: str | None = "done") -> dict:
    return rec.envelope(
        "visit_finish",
        {"visit_uuid": visit["uuid"], "finished_at": at(minutes), "summary": summary},
    )


def answers(client, records) -> list[dict]:
    response = push(client, records)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["results"]


def shown(auth, visit: dict) -> dict:
    return auth("viewer").get(f"/api/v1/visits/{visit['uuid']}").get_json()


def test_a_visit_sent_when_it_started_is_finished_by_its_own_record(engineer, auth, db):
    visit = rec.visit("520000")
    assert answers(engineer, [visit])[0]["status"] == "created"
    resent = dict(visit, data=dict(visit["data"], finished_at=at(0)))
    assert answers(engineer, [resent])[0]["status"] == "conflict"  # why the record exists
    done = finish(visit, summary="all fine")
    assert answers(engineer, [done])[0]["status"] == "created"
    assert answers(engineer, [done])[0]["status"] == "duplicate"
    got = shown(auth, visit)
    assert got["finished_at"] is not None and got["summary"] == "all fine"


@pytest.mark.parametrize("same_batch", [True, False])
def test_a_finish_arriving_before_its_visit_waits_for_it(engineer, auth, db, same_batch):
    visit = rec.visit("520000")
    done = finish(visit)
    if same_batch:
        assert [a["status"] for a in answers(engineer, [done, visit])] == ["created", "created"]
    else:
        assert answers(engineer, [done])[0]["status"] == "created"
        assert _db.session.scalar(sa.select(VisitFinish.state)) == "waiting"
        assert answers(engineer, [visit])[0]["status"] == "created"
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(VisitFinish.state)) == "applied"
    assert shown(auth, visit)["finished_at"] is not None


def test_the_latest_finish_wins_whatever_the_order(engineer, auth, db):
    visit = rec.visit("520000")
    later, earlier = finish(visit, 30, "second"), finish(visit, 10, "first")
    answers(engineer, [visit])
    answers(engineer, [later])
    answers(engineer, [earlier])
    assert shown(auth, visit)["summary"] == "second"


def test_only_its_engineer_or_a_supervisor_finishes_a_visit(engineer, auth, db):
    visit = rec.visit("520000")
    answers(engineer, [visit])
    other = answers(auth("engineer"), [finish(visit, summary="not mine")])[0]
    assert other["status"] == "rejected" and other["code"] == "forbidden"
    assert shown(auth, visit)["finished_at"] is None
    assert answers(auth("supervisor"), [finish(visit, summary="closed")])[0]["status"] == "created"
    assert shown(auth, visit)["summary"] == "closed"


def test_an_early_finish_by_someone_else_is_refused_when_the_visit_arrives(engineer, auth, db):
    visit = rec.visit("520000")
    answers(auth("engineer"), [finish(visit, summary="not mine")])
    answers(engineer, [visit])
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(VisitFinish.state)) == "refused"
    assert shown(auth, visit)["finished_at"] is None


def test_a_visit_cannot_finish_before_it_started(engineer, db):
    visit = rec.visit("520000")
    answers(engineer, [visit])
    answer = answers(engineer, [finish(visit, minutes=-120)])[0]
    assert answer["status"] == "rejected" and "finished_at" in answer["errors"]["data"]
