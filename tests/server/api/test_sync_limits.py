"""Values no database can hold are refused at the edge, one record at a time; JSON stays standard.

Issue 11: a lone surrogate, a NUL or a huge integer in one record sank the whole batch (500,
retried for ever) or answered `busy`; NaN passed as a measurement and the API then emitted
`Infinity`; JSON nested 10,000 deep was a 500.
"""

from __future__ import annotations

import json
import math

import pytest
import sqlalchemy as sa

from server.models import Inspection, InspectionResult, SyncReceipt
from server.services.sync import db_errors
from server.services.sync import engine as sync_service
from tests import sync_records as rec
from tests.server.api.test_sync import PULL, PUSH, _tag, template_for

BEYOND_64_BITS = 2**63
BEYOND_32_BITS = 2**31


@pytest.fixture
def field(reference_data, auth):
    engineer = auth("engineer")
    pack = engineer.get(PULL).get_json()
    template = template_for(pack, with_number=True)
    number = next(i for i, item in enumerate(template["items"]) if item["type"] == "number")
    return engineer, template, number


def raw_push(client, body: str):
    return client.post(PUSH, data=body.encode(), content_type="application/json")


def _poison(case: str, template: dict, number: int) -> tuple[dict, dict]:
    """A record with one bad value, and where the answer must say it is."""
    if case == "visit_plan_entry_id":
        record = rec.visit("520000", plan_entry_id=BEYOND_32_BITS)
        return record, {"data": {"plan_entry_id": ...}}
    record = rec.inspection(template, _tag(5))
    data = record["data"]
    if case == "surrogate_in_notes":
        data["notes"] = "SURROGATE"  # replaced by the JSON escape \ud83d below
        return record, {"data": {"notes": ...}}
    if case == "nul_in_result_note":
        data["results"][number]["note"] = "bad\x00note"
        return record, {"data": {"results": {str(number): {"note": ...}}}}
    if case == "surrogate_in_result_value":
        data["results"][number]["value"] = "SURROGATE"
        return record, {"data": {"results": {str(number): {"value": ...}}}}
    if case == "int_beyond_64_bits_as_value":
        data["results"][number]["value"] = BEYOND_64_BITS
        return record, {"data": {"results": {str(number): {"value": ...}}}}
    if case == "template_id_beyond_32_bits":
        data["template_id"] = BEYOND_64_BITS  # SQLite: OverflowError; PostgreSQL: out of range
        return record, {"data": {"template_id": ...}}
    if case == "template_version_beyond_32_bits":
        data["template_version"] = BEYOND_32_BITS
        return record, {"data": {"template_version": ...}}
    if case == "nul_in_tag":
        data["tag"] = "GZ\x00"
        return record, {"data": {"tag": ...}}
    if case == "surrogate_in_field_name":
        data["SURROGATE"] = 1
        return record, {"data": {"\\ud83d": ...}}
    if case == "nul_in_app_version":
        record["app_version"] = "0.1\x00"
        return record, {"app_version": ...}
    raise LookupError(case)


def _has_path(errors: dict, expected: dict) -> bool:
    for key, below in expected.items():
        if key not in errors:
            return False
        if below is not ... and not _has_path(errors[key], below):
            return False
    return True


@pytest.mark.parametrize(
    "case",
    [
        "surrogate_in_notes",
        "nul_in_result_note",
        "surrogate_in_result_value",
        "int_beyond_64_bits_as_value",
        "template_id_beyond_32_bits",
        "template_version_beyond_32_bits",
        "nul_in_tag",
        "surrogate_in_field_name",
        "nul_in_app_version",
        "visit_plan_entry_id",
    ],
)
def test_one_poisoned_record_is_rejected_alone_naming_its_field(field, db, case):
    engineer, template, number = field
    visit = rec.visit("520000")
    good = [
        visit,
        rec.inspection(template, _tag(1), visit["uuid"]),
        rec.inspection(template, _tag(2), visit["uuid"]),
    ]
    poisoned, where = _poison(case, template, number)
    # A JS client cutting an emoji sends the escape of a lone surrogate: write it as such.
    body = json.dumps({"records": [good[0], poisoned, *good[1:]]}).replace(
        '"SURROGATE"', '"\\ud83d"'
    )
    response = raw_push(engineer, body)
    assert response.status_code == 200, response.get_data(as_text=True)
    answers = response.get_json()["results"]
    assert [a["status"] for a in answers] == ["created", "rejected", "created", "created"]
    assert answers[1]["code"] == "invalid", answers[1]
    assert _has_path(answers[1]["errors"], where), answers[1]["errors"]
    stored = set(db.session.scalars(sa.select(SyncReceipt.uuid)))
    assert stored == {r["uuid"] for r in good}
    assert (
        raw_push(engineer, body).get_json()["results"][1]["status"] == "rejected"
    )  # no poison kept


@pytest.mark.parametrize("number_text", ["NaN", "Infinity", "-Infinity", "1e999"])
def test_non_finite_numbers_are_not_json_and_refused_whole(field, db, number_text):
    engineer, template, number = field
    record = rec.inspection(template, _tag(1))
    record["data"]["results"][number]["value"] = "NUMBER"
    body = json.dumps({"records": [record]}).replace('"NUMBER"', number_text)
    response = raw_push(engineer, body)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code_name"] == "invalid_json" and error["errors"]["json"], error
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0


def test_nan_from_any_caller_is_not_stored_as_a_pass(field, db):
    """The engine itself refuses NaN (a conflict replay or a test may call it with Python floats)."""
    engineer, template, number = field
    record = rec.inspection(template, _tag(1))
    record["data"]["results"][number]["value"] = math.nan
    answer = sync_service.push(engineer.user, [record])["results"][0]
    assert answer["status"] == "rejected" and answer["code"] == "invalid"
    assert "value" in answer["errors"]["data"]["results"][str(number)]
    assert db.session.scalar(sa.select(sa.func.count()).select_from(InspectionResult)) == 0


def test_the_api_never_emits_nan_or_infinity(field, db, auth):
    engineer, template, _ = field
    record = rec.inspection(template, _tag(1))
    assert raw_push(engineer, json.dumps({"records": [record]})).status_code == 200
    db.session.execute(sa.update(Inspection).values(accuracy_m=math.inf))  # an old row
    db.session.execute(sa.update(InspectionResult).values(value_number=-math.inf))
    db.session.commit()
    response = auth("viewer").get(f"/api/v1/inspections/{record['uuid']}")
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    body = json.loads(text, parse_constant=lambda name: pytest.fail(f"emitted {name}"))
    assert body["accuracy_m"] is None
    assert all(r["value_number"] is None for r in body["results"])


@pytest.mark.parametrize("where", ["body", "data.summary"])
def test_json_nested_10000_deep_is_a_400(field, db, where):
    engineer, _, _ = field
    deep = "[" * 10_000 + "]" * 10_000
    if where == "body":
        body = deep
    else:
        visit = rec.visit("520000", summary="DEEP")
        body = json.dumps({"records": [visit]}).replace('"DEEP"', deep)
    response = raw_push(engineer, body)
    assert response.status_code == 400, response.get_data(as_text=True)[:200]
    assert response.get_json()["error"]["code_name"] == "invalid_json"
    login = engineer.post("/api/v1/auth/login", data=deep, content_type="application/json")
    assert login.status_code == 400 and login.get_json()["error"]["code"] == 400


def test_nesting_that_parses_is_refused_in_that_record_only(field, db):
    engineer, template, _ = field
    visit = rec.visit("520000", summary="DEEP")
    good = rec.inspection(template, _tag(1))
    body = json.dumps({"records": [visit, good]}).replace('"DEEP"', "[" * 200 + "]" * 200)
    answers = raw_push(engineer, body).get_json()["results"]
    assert [a["status"] for a in answers] == ["rejected", "created"]
    assert "summary" in answers[0]["errors"]["data"], answers[0]
    flat = rec.visit("520000", summary={"a": {"b": "not text"}})
    answer = raw_push(engineer, json.dumps({"records": [flat]})).get_json()["results"][0]
    assert answer["status"] == "rejected" and "summary" in answer["errors"]["data"]


def test_a_permanent_database_error_is_invalid_not_busy(field, db, monkeypatch):
    """On PostgreSQL a NUL or an out-of-range integer used to answer `busy` (resend later)."""
    import dataclasses

    from sqlalchemy.exc import DataError

    from server.services.field import inspections

    engineer, template, _ = field
    records = [rec.inspection(template, _tag(n)) for n in (1, 2)]
    real = inspections.store_inspections

    def refuse_first(batch):
        if any(meta.uuid == records[0]["uuid"] for _, meta in batch):
            raise DataError("INSERT ...", {}, Exception("integer out of range"))
        return real(batch)

    rtype = sync_service.RECORD_TYPES["inspection"]
    monkeypatch.setitem(
        sync_service.RECORD_TYPES, "inspection", dataclasses.replace(rtype, store_many=refuse_first)
    )
    answers = sync_service.push(engineer.user, records)["results"]
    assert [a["status"] for a in answers] == ["rejected", "created"]
    assert answers[0]["code"] == "invalid"


class _Orig(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize(
    "sqlstate, retry",
    [
        ("40P01", True),
        ("40001", True),
        ("55P03", True),
        ("57014", True),
        ("08006", True),
        ("22003", False),
        ("22021", False),
        ("22P05", False),
        ("23505", False),
        ("42P01", False),
    ],
)
def test_only_what_a_retry_can_cure_is_transient(sqlstate, retry):
    from sqlalchemy.exc import DBAPIError

    exc = DBAPIError.instance("SELECT 1", {}, _Orig(sqlstate), Exception)
    assert db_errors.transient(exc) is retry
