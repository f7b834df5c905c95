"""Hand-over by file (docs/handover-file.md): the key issued at sign-in, a phone's file verified
whole and imported as the key's user through the push's engine, refusals naming what is wrong."""

from __future__ import annotations

import hashlib
import json
import re

import pytest
import sqlalchemy as sa

from server.errors import Invalid
from server.models import AuditLog, PhoneKey, SyncImport, SyncReceipt, Visit
from server.services.core import phone_keys, photo_store
from server.services.core.audit import acting_as
from server.services.sync import handfile_import
from tests import handfile_maker as hf
from tests import sync_records as rec


@pytest.fixture
def phone(app, reference_data, factory):
    """An engineer signed in on the phone: (user, the issued key)."""
    engineer = factory.user("engineer")
    _client, answer = hf.sign_in(app, engineer)
    return engineer, answer["phone_key"]


def _import(data: bytes, importer=None):
    with acting_as(importer.id if importer else None, importer.username if importer else "cli"):
        run = handfile_import.import_file(data, importer, "phone.xjsync")
    from server.extensions import db

    db.session.commit()
    return run


def _counts(db) -> tuple[int, int, int]:
    return tuple(
        db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Visit, SyncReceipt, SyncImport)
    )


def test_the_key_is_issued_per_phone_and_kept_sealed(app, phone, db):
    engineer, key = phone
    assert key["phone_id"] == hf.PHONE and key["key_id"].startswith("k-")
    row = db.session.scalar(sa.select(PhoneKey).where(PhoneKey.key_id == key["key_id"]))
    assert row.user_id == engineer.id and row.session_id is not None
    assert key["secret"] not in row.secret  # sealed, not the secret itself
    assert phone_keys.secret_of(row) == hf.secret_bytes(key)
    client = app.test_client()  # a sign-in without phone_id gets no key
    answer = client.post(
        "/api/v1/auth/login", json={"username": engineer.username, "password": hf.PASSWORD}
    ).get_json()
    assert answer["phone_key"] is None


def test_a_file_imports_once_as_its_engineer_and_again_adds_nothing(phone, factory, db):
    engineer, key = phone
    supervisor = factory.user("supervisor")
    photo = hf.jpeg()
    sha = hashlib.sha256(photo).hexdigest()
    records = [rec.visit("520000"), rec.visit("520000")]
    data = hf.make(key, engineer, records, [photo])
    first = _import(data, supervisor)
    assert (first.created, first.duplicates, first.records, first.photos) == (2, 0, 2, 1)
    assert first.user_id == engineer.id and first.imported_by_id == supervisor.id
    visits = db.session.scalars(sa.select(Visit)).all()
    assert {v.user_id for v in visits} == {engineer.id}  # the key's user, not the importer
    assert photo_store.get_store().exists(sha)
    body = hf.receipt_ok(key, first.receipt)
    assert body["phone_id"] == hf.PHONE and body["photos"] == [sha]
    assert [(r["uuid"], r["status"]) for r in body["results"]] == [
        (r["uuid"], "created") for r in records
    ]
    before = _counts(db)
    again = _import(data, supervisor)
    assert (again.created, again.duplicates) == (0, 2)
    assert _counts(db) == (before[0], before[1], before[2] + 1)  # only the second run's row
    audit = db.session.scalars(
        sa.select(AuditLog).where(AuditLog.entity == "sync_import").order_by(AuditLog.id)
    ).all()
    assert [a.actor_id for a in audit] == [supervisor.id, supervisor.id]


def test_refused_and_conflicting_records_get_their_own_answers(phone, db):
    engineer, key = phone
    good = rec.visit("520000")
    bad = rec.visit("999999")  # no such site
    _import(hf.make(key, engineer, [good]))
    changed = dict(good, data=dict(good["data"], inspection_kind="monthly"))
    run = _import(hf.make(key, engineer, [changed, bad]))
    answers = {a["uuid"]: a for a in handfile_import.results_of(run)}
    assert answers[good["uuid"]]["status"] == "conflict"
    assert answers[bad["uuid"]]["status"] == "rejected" and answers[bad["uuid"]]["code"]
    assert (run.conflicts, run.rejected, run.created) == (1, 1, 0)


def _other_engineer_file(app, factory, engineer, key):
    """Signed with another engineer's key, claiming to be `engineer`'s."""
    other = factory.user("engineer")
    _c, answer = hf.sign_in(app, other)
    return hf.make(answer["phone_key"], engineer, [rec.visit("520000")])


def _revoked(app, engineer, key):
    client, answer = hf.sign_in(app, engineer)
    client.post("/api/v1/auth/logout", headers={"X-CSRF-Token": answer["csrf_token"]})
    return hf.make(answer["phone_key"], engineer, [rec.visit("520000")])


def _altered_photo(key, engineer):
    photo = hf.jpeg()
    data = hf.make(key, engineer, [rec.visit("520000")], [photo])
    lines = data.split(b"\n")
    item = json.loads(lines[1])
    item["data"] = hf.base64.b64encode(hf.jpeg((0, 0, 255))).decode()
    lines[1] = json.dumps(item).encode()
    return b"\n".join(lines)


CASES = {
    "handfile_bad_signature": lambda app, f, u, k: hf.make(k, u, [rec.visit("520000")]).replace(
        b"520000", b"520100", 1
    ),
    "handfile_truncated": lambda app, f, u, k: hf.make(k, u, [rec.visit("520000")], [hf.jpeg()])[
        :-40
    ],
    "handfile_hash_mismatch": lambda app, f, u, k: _altered_photo(k, u),
    "handfile_missing_photo": lambda app, f, u, k: b"\n".join(
        line
        for i, line in enumerate(hf.make(k, u, [rec.visit("520000")], [hf.jpeg()]).split(b"\n"))
        if i != 1
    ),
    "handfile_unknown_key": lambda app, f, u, k: hf.make(
        dict(k, key_id="k-000000000000000000000000"), u, [rec.visit("520000")]
    ),
    "handfile_other_user": lambda app, f, u, k: _other_engineer_file(app, f, u, k),
    "handfile_key_revoked": lambda app, f, u, k: _revoked(app, u, k),
    "handfile_bad_photo": lambda app, f, u, k: hf.make(
        k, u, [rec.visit("520000")], [b"not an image at all"]
    ),
    "handfile_not_a_file": lambda app, f, u, k: b"PK\x03\x04 a zip, not a hand-over file",
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_a_bad_file_is_refused_whole_naming_what_is_wrong(app, phone, factory, db, code):
    engineer, key = phone
    data = CASES[code](app, factory, engineer, key)
    before, stored = _counts(db), set(photo_store.get_store().shas())
    with pytest.raises(Invalid) as refused:
        handfile_import.import_file(data, None, "phone.xjsync")
    db.session.rollback()
    assert refused.value.code_name == code, refused.value.message
    assert refused.value.message
    assert _counts(db) == before
    assert set(photo_store.get_store().shas()) == stored  # no photo stored either


def test_every_refusal_has_words_in_both_languages():
    from pathlib import Path

    root = Path(__file__).resolve().parents[4]
    source = (root / "server/services/sync/handfile.py").read_text(encoding="utf-8")
    codes = set(re.findall(r'"(handfile_\w+)"', source))
    words = (root / "pwa/static/core/dict/errors.js").read_text(encoding="utf-8")
    assert codes and all(words.count(f"err_{code}:") == 2 for code in codes), codes
