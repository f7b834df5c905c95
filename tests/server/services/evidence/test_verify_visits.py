"""Verify compares a visit's site and a visit finish's visit, time and summary with what the
phone sent: each edited by raw SQL is named."""

from __future__ import annotations

import sqlalchemy as sa

from server.services.evidence import verify
from tests import sync_records as rec


def _push(engineer, records):
    answer = engineer.post("/api/v1/sync/push", json={"records": records}).get_json()
    assert [r["status"] for r in answer["results"]] == ["created"] * len(records), answer


def test_verify_names_a_visit_moved_to_another_site_and_an_edited_finish(reference_data, auth, db):
    engineer = auth("engineer")
    visit = rec.visit("520000")
    finish = rec.envelope(
        "visit_finish",
        {"visit_uuid": visit["uuid"], "finished_at": rec.now_iso(), "summary": "全部正常"},
    )
    _push(engineer, [visit])
    _push(engineer, [finish])
    report = verify.run()
    assert report.ok, [p.line() for p in report.problems]
    db.session.execute(
        sa.text(
            "UPDATE visit SET site_id = (SELECT id FROM site WHERE code <> '520000' "
            "ORDER BY id LIMIT 1) WHERE uuid = :u"
        ),
        {"u": visit["uuid"]},
    )
    db.session.execute(
        sa.text("UPDATE visit_finish SET summary = '有故障' WHERE uuid = :u"), {"u": finish["uuid"]}
    )
    db.session.commit()
    found = {(p.record_type, p.uuid): p.what for p in verify.run().problems}
    assert found[("visit", visit["uuid"])].startswith("site_id: stored ")
    assert (
        found[("visit_finish", finish["uuid"])] == "summary: stored '有故障', recorded '全部正常'"
    )
