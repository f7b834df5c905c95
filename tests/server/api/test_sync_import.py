"""The office's import of a phone's hand-over file over the API, the receipt download, and the
key's life with its session (docs/handover-file.md)."""

from __future__ import annotations

import io

import sqlalchemy as sa

from server.models import PhoneKey, Visit
from tests import handfile_maker as hf
from tests import sync_records as rec

IMPORTS = "/api/v1/sync/imports"


def _upload(client, data: bytes, name: str = "phone.xjsync"):
    return client.post(
        IMPORTS,
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )


def test_office_imports_a_file_twice_and_downloads_the_signed_receipt(
    app, reference_data, factory, auth, db
):
    engineer = factory.user("engineer")
    _client, answer = hf.sign_in(app, engineer)
    key = answer["phone_key"]
    records = [rec.visit("520000"), rec.visit("520000")]
    data = hf.make(key, engineer, records, [hf.jpeg()])
    office = auth("supervisor")
    first = _upload(office, data)
    assert first.status_code == 201, first.get_json()
    body = first.get_json()
    assert (body["created"], body["duplicates"], body["photos"]) == (2, 0, 1)
    assert body["user"]["username"] == engineer.username
    assert body["imported_by"]["username"] == office.user.username
    assert [r["status"] for r in body["results"]] == ["created", "created"]
    again = _upload(office, data).get_json()
    assert (again["created"], again["duplicates"]) == (0, 2)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 2
    receipt = office.get(body["receipt_url"])
    assert receipt.status_code == 200 and "attachment" in receipt.headers["Content-Disposition"]
    signed = hf.receipt_ok(key, receipt.get_data(as_text=True))
    assert {r["uuid"] for r in signed["results"]} == {r["uuid"] for r in records}
    listed = office.get(IMPORTS).get_json()
    assert [i["id"] for i in listed["items"]] == [again["id"], body["id"]]


def test_a_bad_file_is_a_422_naming_what_is_wrong(app, reference_data, factory, auth):
    engineer = factory.user("engineer")
    _client, answer = hf.sign_in(app, engineer)
    data = hf.make(answer["phone_key"], engineer, [rec.visit("520000")])
    refused = _upload(auth("admin"), data[: len(data) // 2])
    assert refused.status_code == 422
    assert refused.get_json()["error"]["code_name"] == "handfile_truncated"
    assert auth("engineer").post(IMPORTS).status_code == 403


def test_ending_the_session_revokes_its_key(app, factory, db):
    engineer = factory.user("engineer")
    client, answer = hf.sign_in(app, engineer)
    other, _ = hf.sign_in(app, engineer, phone_id="p-another-phone")
    sessions = client.get("/api/v1/auth/sessions").get_json()
    mine = next(s for s in sessions if s["current"])
    ended = other.delete(
        f"/api/v1/auth/sessions/{mine['id']}",
        headers={"X-CSRF-Token": other.get("/api/v1/auth/me").get_json()["csrf_token"]},
    )
    assert ended.status_code == 204
    keys = {k.phone_id: k for k in db.session.scalars(sa.select(PhoneKey))}
    assert keys[hf.PHONE].revoked_at is not None
    assert keys["p-another-phone"].revoked_at is None
    other.post("/api/v1/auth/logout-all", headers={"X-CSRF-Token": _csrf(other)})
    db.session.expire_all()
    assert db.session.get(PhoneKey, keys["p-another-phone"].id).revoked_at is not None


def _csrf(client) -> str:
    return client.get("/api/v1/auth/me").get_json()["csrf_token"]
