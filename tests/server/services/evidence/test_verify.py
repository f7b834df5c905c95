"""The evidence chain through the API: links per accepted record, replays, verify on a clean
database, a result edited by raw SQL, a photo altered in the store, a phone chain with a gap."""

from __future__ import annotations

import io
import os

import sqlalchemy as sa
from PIL import Image

from server.models import EvidenceHead, EvidenceLink
from server.services.core.photo_store import get_store
from server.services.evidence import verify
from server.services.sync.chain import link_hash
from server.services.sync.envelope import hash_canonical
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"
PHONE = "p-0123456789abcdef01234567"


def _setup(reference_data, auth, factory):
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    template = next(
        t
        for t in pack["templates"]
        if t["inspection_kind"] == "quarterly" and any(i["type"] == "number" for i in t["items"])
    )
    return engineer, template, factory.device("L09")


def _chained(records: list[dict]) -> list[dict]:
    """The records as one phone makes them: each names the content hash of the one before."""
    from datetime import datetime

    from server.services.sync.envelope import canonical

    prev = None
    for record in records:
        record["phone_id"] = PHONE
        if prev:
            record["prev_hash"] = prev
        moment = datetime.fromisoformat(record["client_time"])
        prev = hash_canonical(canonical(dict(record, client_time=moment)))
    return records


def _push(client, records):
    answer = client.post(PUSH, json={"records": records})
    assert answer.status_code == 200, answer.get_json()
    return [r["status"] for r in answer.get_json()["results"]]


def test_each_accepted_record_is_one_link_and_replays_add_none(reference_data, auth, factory, db):
    engineer, template, device = _setup(reference_data, auth, factory)
    visit = rec.visit("520000")
    batch = _chained([visit, rec.inspection(template, device.tag, visit["uuid"])])
    assert _push(engineer, batch) == ["created", "created"]
    for _ in range(3):
        assert _push(engineer, batch) == ["duplicate", "duplicate"]
    links = db.session.scalars(sa.select(EvidenceLink).order_by(EvidenceLink.seq)).all()
    assert [link.record_uuid for link in links] == sorted(r["uuid"] for r in batch)
    assert [link.seq for link in links] == [1, 2]
    assert links[1].prev_link_hash == links[0].hash
    head = db.session.get(EvidenceHead, 1)
    assert (head.seq, head.hash) == (2, links[1].hash)
    first = links[0]
    assert first.hash == link_hash(
        "0" * 64, first.record_type, first.record_uuid, first.content_hash, first.server_time
    )
    by_uuid = {link.record_uuid: link for link in links}
    assert by_uuid[batch[1]["uuid"]].prev_hash == by_uuid[batch[0]["uuid"]].content_hash
    assert verify.run().ok


def test_verify_names_the_inspection_whose_result_was_edited(reference_data, auth, factory, db):
    engineer, template, device = _setup(reference_data, auth, factory)
    visit = rec.visit("520000")
    inspection = rec.inspection(template, device.tag, visit["uuid"])
    assert _push(engineer, _chained([visit, inspection])) == ["created", "created"]
    report = verify.run()
    assert report.ok and report.links == 2 and report.gaps == []
    number = next(i["key"] for i in template["items"] if i["type"] == "number")
    db.session.execute(
        sa.text(
            "UPDATE inspection_result SET value_number = value_number + 7 WHERE item_key = :k "
            "AND inspection_id = (SELECT id FROM inspection WHERE uuid = :u)"
        ),
        {"k": number, "u": inspection["uuid"]},
    )
    db.session.commit()
    report = verify.run()
    assert not report.ok
    first = report.problems[0]
    assert (first.record_type, first.uuid) == ("inspection", inspection["uuid"])
    assert f"result {number} value_number" in first.what


def test_verify_names_an_edited_outcome_and_a_link_edited_in_the_chain(
    reference_data, auth, factory, db
):
    engineer, template, device = _setup(reference_data, auth, factory)
    visit = rec.visit("520000")
    inspection = rec.inspection(template, device.tag, visit["uuid"])
    assert _push(engineer, [visit, inspection]) == ["created", "created"]
    db.session.execute(
        sa.text("UPDATE inspection SET outcome = 'fail' WHERE uuid = :u"), {"u": inspection["uuid"]}
    )
    db.session.execute(sa.text("UPDATE evidence_link SET server_time = server_time WHERE seq = 1"))
    db.session.execute(
        sa.text("UPDATE evidence_link SET content_hash = :h WHERE record_uuid = :u"),
        {"h": "f" * 64, "u": visit["uuid"]},
    )
    db.session.commit()
    whats = [(p.uuid, p.what) for p in verify.run().problems]
    assert any(u == visit["uuid"] and "link hash does not match" in w for u, w in whats)
    assert any(u == inspection["uuid"] and w.startswith("outcome: stored 'fail'") for u, w in whats)


def _jpeg() -> bytes:
    """A photo of its own (random pixels): the store may be shared by test runs."""
    out = io.BytesIO()
    Image.frombytes("RGB", (8, 8), os.urandom(8 * 8 * 3)).save(out, "PNG")
    return out.getvalue()


def test_verify_names_a_photo_altered_in_the_store(reference_data, auth, factory, db):
    import hashlib

    engineer, template, device = _setup(reference_data, auth, factory)
    data = _jpeg()
    sha = hashlib.sha256(data).hexdigest()
    put = engineer.put(f"/api/v1/photos/{sha}", data=data, content_type="image/png")
    assert put.status_code in (200, 201), put.get_json()
    visit = rec.visit("520000")
    inspection = rec.inspection(template, device.tag, visit["uuid"], photos=[sha])
    assert _push(engineer, [visit, inspection]) == ["created", "created"]
    assert verify.run().ok
    path = get_store().path(sha)
    try:
        path.write_bytes(_jpeg())
        report = verify.run()
    finally:
        path.unlink()
    assert not report.ok
    first = report.problems[0]
    assert first.uuid == inspection["uuid"] and f"photo {sha} was altered" in first.what


def test_a_gap_in_a_phone_chain_is_accepted_and_flagged(reference_data, auth, factory, db):
    engineer, template, device = _setup(reference_data, auth, factory)
    visit = rec.visit("520000")
    first, second = (rec.inspection(template, device.tag, visit["uuid"]) for _ in range(2))
    chained = _chained([visit, first, second])
    assert _push(engineer, [chained[0], chained[2]]) == ["created", "created"]  # first held back
    report = verify.run()
    assert report.ok  # a gap is not tampering: records may come out of order
    assert [(g.record_type, g.uuid) for g in report.gaps] == [("inspection", second["uuid"])]
    review = auth("supervisor").get("/api/v1/review/records?kind=chain").get_json()
    assert [i["uuid"] for i in review["items"]] == [second["uuid"]]
    assert _push(engineer, [chained[1]]) == ["created"]  # it arrives: the gap closes
    assert verify.run().gaps == []


def test_cli_verify_exits_non_zero_naming_the_record(reference_data, auth, factory, db, app):
    engineer, template, device = _setup(reference_data, auth, factory)
    visit = rec.visit("520000")
    assert _push(engineer, [visit]) == ["created"]
    runner = app.test_cli_runner()
    clean = runner.invoke(args=["evidence", "verify"])
    assert clean.exit_code == 0 and "OK" in clean.output
    db.session.execute(
        sa.text("UPDATE visit SET inspection_kind = 'daily' WHERE uuid = :u"), {"u": visit["uuid"]}
    )
    db.session.commit()
    broken = runner.invoke(args=["evidence", "verify"])
    assert broken.exit_code == 1
    assert f"visit {visit['uuid']}: inspection_kind: stored 'daily'" in broken.output
