"""The push view stores a batch without a savepoint (PostgreSQL: its transaction holds nothing
else); when that fails, the whole transaction is rolled back and the batch is stored one record
at a time, locks taken again: nothing of the failed attempt is left, nothing is stored twice."""

from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import DataError

from server.models import Inspection, InspectionResult, SyncReceipt, Visit
from server.services.field import inspections as field_inspections
from server.services.sync.registry import RECORD_TYPES
from tests import sync_records as rec
from tests.server.api.test_sync import PULL, push, template_for
from tests.server.services.coverage.test_targets import assert_exact

pytestmark = pytest.mark.db


def _count(db, model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


@pytest.mark.parametrize("failing", [0, 1])
def test_a_failed_fast_path_leaves_nothing_and_the_rest_is_stored_once(
    reference_data, auth, factory, db, monkeypatch, failing
):
    engineer = auth("engineer")
    template = template_for(engineer.get(PULL).get_json())
    devices = [factory.device("L09") for _ in range(3)]
    visit = rec.visit("520000")
    inspections = [rec.inspection(template, d.tag, visit["uuid"]) for d in devices]
    refused = inspections[failing]["uuid"]
    real = field_inspections.store_inspections
    calls = []

    def refuse_one(batch):
        calls.append(len(batch))
        if any(meta.uuid == refused for _, meta in batch):
            raise DataError("INSERT ...", {}, Exception("value out of range"))
        return real(batch)

    rtype = RECORD_TYPES["inspection"]
    monkeypatch.setitem(
        RECORD_TYPES, "inspection", dataclasses.replace(rtype, store_many=refuse_one)
    )
    response = push(engineer, [visit, *inspections])
    assert response.status_code == 200, response.get_json()
    answers = {a["uuid"]: a for a in response.get_json()["results"]}
    assert calls[0] == 3  # the fast path was tried with the whole batch, then one by one
    assert answers[refused]["status"] == "rejected" and answers[refused]["code"] == "invalid"
    stored = [r["uuid"] for r in [visit, *inspections] if r["uuid"] != refused]
    assert all(answers[u]["status"] == "created" for u in stored)
    db.session.remove()
    assert _count(db, Visit) == 1
    assert _count(db, Inspection) == 2
    assert _count(db, InspectionResult) == 2 * len(template["items"])
    assert _count(db, SyncReceipt) == 3
    rows = assert_exact()  # coverage rows: those of the two stored inspections, no other
    assert sum(len(a) + len(b) for v in rows.values() for a, b in v["devices"].values()) == 2
    replay = push(engineer, [visit, *inspections]).get_json()["results"]
    assert [a["status"] for a in replay if a["uuid"] != refused] == ["duplicate"] * 3
