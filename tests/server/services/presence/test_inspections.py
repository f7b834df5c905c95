"""Presence of inspections: tag_source stored and returned (unknown for older phones), flags from
the inspection's own position else its visit's, the review queue's presence filter agreeing with
the flags, a bad tag_source refused, and evidence verify naming an edited tag_source."""

from __future__ import annotations

import sqlalchemy as sa

from server.models import Inspection, Site
from server.services.evidence import verify
from server.services.presence import flags
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"
SITE = (26.5783, 106.7135)
FAR = {"lat": SITE[0] + 0.045, "lon": SITE[1], "accuracy": 30.0}  # about 5 km north
NEAR = {"lat": SITE[0] + 0.0005, "lon": SITE[1], "accuracy": 30.0}


def _setup(reference_data, auth, factory, db):
    db.session.execute(
        sa.update(Site).where(Site.code == "520000").values(lat=SITE[0], lon=SITE[1])
    )
    db.session.commit()
    engineer = auth("engineer")
    pack = engineer.get("/api/v1/sync/pull").get_json()
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    return engineer, template


def _push(client, records) -> list[dict]:
    answer = client.post(PUSH, json={"records": records})
    assert answer.status_code == 200, answer.get_json()
    return answer.get_json()["results"]


def _inspection(template, tag, visit, position, **data):
    record = rec.inspection(template, tag, visit["uuid"], **data)
    record["position"] = position
    return record


def _by_uuid(client, tag) -> dict:
    items = client.get(f"/api/v1/inspections?tag={tag}&per_page=50").get_json()["items"]
    return {i["uuid"]: i for i in items}


def test_tag_source_is_stored_and_returned_and_unknown_for_older_phones(
    reference_data, auth, factory, db
):
    engineer, template = _setup(reference_data, auth, factory, db)
    device = factory.device("L09")
    visit = rec.visit("520000")
    visit["position"] = NEAR
    camera = _inspection(template, device.tag, visit, NEAR, tag_source="camera")
    typed = _inspection(template, device.tag, visit, NEAR, tag_source="typed")
    chosen = _inspection(template, device.tag, visit, NEAR, tag_source="list")
    old = _inspection(template, device.tag, visit, NEAR)  # an older app sends none
    statuses = [r["status"] for r in _push(engineer, [visit, camera, typed, chosen, old])]
    assert statuses == ["created"] * 5
    got = _by_uuid(auth("supervisor"), device.tag)
    assert got[camera["uuid"]]["tag_source"] == "camera"
    assert got[chosen["uuid"]]["tag_source"] == "list"
    assert got[old["uuid"]]["tag_source"] is None
    assert got[typed["uuid"]]["presence"]["flags"] == ["typed_tag"]  # flagged, never refused
    assert got[camera["uuid"]]["presence"]["flags"] == []
    one = auth("viewer").get(f"/api/v1/inspections/{typed['uuid']}").get_json()
    assert one["tag_source"] == "typed" and one["presence"]["flags"] == ["typed_tag"]
    # Part of what the phone recorded: its content hash covers it (a different source is a
    # different record, a conflict, not a duplicate).
    changed = dict(camera, data=dict(camera["data"], tag_source="typed"))
    assert _push(engineer, [changed])[0]["status"] == "conflict"
    assert _push(engineer, [camera])[0]["status"] == "duplicate"


def test_a_bad_tag_source_is_refused_naming_the_field(reference_data, auth, factory, db):
    engineer, template = _setup(reference_data, auth, factory, db)
    record = rec.inspection(template, factory.device("L09").tag, tag_source="guessed")
    answer = _push(engineer, [record])[0]
    assert answer["status"] == "rejected", answer
    assert "tag_source" in str(answer)
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Inspection)) == 0


def test_an_inspection_without_a_position_takes_its_visits(reference_data, auth, factory, db):
    engineer, template = _setup(reference_data, auth, factory, db)
    device = factory.device("L09")
    visit = rec.visit("520000")
    visit["position"] = FAR
    borrowed = _inspection(template, device.tag, visit, None, tag_source="camera")
    own = _inspection(template, device.tag, visit, NEAR, tag_source="camera")
    assert [r["status"] for r in _push(engineer, [visit, borrowed, own])] == ["created"] * 3
    got = _by_uuid(auth("supervisor"), device.tag)
    presence = got[borrowed["uuid"]]["presence"]
    assert presence["flags"] == ["far"] and presence["position_from"] == "visit"
    assert 4_900 < presence["distance_m"] < 5_100
    assert got[own["uuid"]]["presence"]["flags"] == []
    assert got[own["uuid"]]["presence"]["position_from"] == "inspection"


def test_the_review_queue_lists_the_flagged_inspections(reference_data, auth, factory, db, app):
    engineer, template = _setup(reference_data, auth, factory, db)
    device = factory.device("L09")
    visit = rec.visit("520000")
    visit["position"] = NEAR
    records = {
        "far": _inspection(template, device.tag, visit, FAR, tag_source="camera"),
        "typed": _inspection(template, device.tag, visit, NEAR, tag_source="typed"),
        "clean": _inspection(template, device.tag, visit, NEAR, tag_source="camera"),
        "vague": _inspection(
            template, device.tag, visit, dict(FAR, accuracy=6_000.0), tag_source="list"
        ),
    }
    assert {r["status"] for r in _push(engineer, [visit, *records.values()])} == {"created"}
    answer = auth("supervisor").get("/api/v1/review/records?kind=presence&per_page=50")
    assert answer.status_code == 200, answer.get_json()
    listed = {i["uuid"]: i for i in answer.get_json()["items"]}
    assert set(listed) == {records["far"]["uuid"], records["typed"]["uuid"]}
    # The SQL filter and the flags agree: every listed record has a review flag.
    for item in listed.values():
        assert set(item["presence"]["flags"]) & set(flags.REVIEW_FLAGS)
    assert listed[records["far"]["uuid"]]["site"]["code"] == "520000"
    assert auth("engineer").get("/api/v1/review/records?kind=presence").status_code == 403


def test_verify_names_an_edited_tag_source_and_passes_rows_without_one(
    reference_data, auth, factory, db
):
    engineer, template = _setup(reference_data, auth, factory, db)
    device = factory.device("L09")
    visit = rec.visit("520000")
    old = _inspection(template, device.tag, visit, NEAR)  # as an older phone sent it
    typed = _inspection(template, device.tag, visit, NEAR, tag_source="typed")
    assert [r["status"] for r in _push(engineer, [visit, old, typed])] == ["created"] * 3
    assert verify.run().ok
    db.session.execute(
        sa.text("UPDATE inspection SET tag_source = 'camera' WHERE uuid = :u"),
        {"u": typed["uuid"]},
    )
    db.session.commit()
    report = verify.run()
    assert not report.ok
    first = report.problems[0]
    assert first.uuid == typed["uuid"]
    assert first.what.startswith("tag_source: stored 'camera', recorded 'typed'")


def test_a_fault_keeps_its_tag_source(reference_data, auth, factory, db):
    engineer, _ = _setup(reference_data, auth, factory, db)
    device = factory.device("L09")
    typed = rec.envelope(
        "fault",
        {
            "tag": device.tag,
            "tag_source": "typed",
            "reported_at": rec.now_iso(),
            "description": "无画面",
        },
    )
    old = rec.envelope(
        "fault", {"tag": device.tag, "reported_at": rec.now_iso(), "description": "无声音"}
    )
    assert [r["status"] for r in _push(engineer, [typed, old])] == ["created", "created"]
    faults = auth("supervisor").get(f"/api/v1/faults?tag={device.tag}").get_json()["items"]
    assert sorted((f["tag_source"] or "") for f in faults) == ["", "typed"]
