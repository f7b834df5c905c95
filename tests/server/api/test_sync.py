"""Push and pull through the API: answers per record, replays, conflicts, rejections, clocks."""

from __future__ import annotations

import copy
import gzip
import json
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.models import Inspection, InspectionResult, SyncConflict, SyncReceipt, Visit
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"
PULL = "/api/v1/sync/pull"


@pytest.fixture
def pack(reference_data, auth):
    engineer = auth("engineer")
    response = engineer.get(PULL)
    assert response.status_code == 200
    return engineer, response.get_json()


def template_for(pack_json: dict, kind: str = "quarterly", with_number: bool = False) -> dict:
    for template in pack_json["templates"]:
        has_number = any(i["type"] == "number" for i in template["items"])
        if template["inspection_kind"] == kind and (has_number or not with_number):
            return template
    raise LookupError(kind)


def counts(db) -> dict:
    return {
        m.__tablename__: db.session.scalar(sa.select(sa.func.count()).select_from(m))
        for m in (Visit, Inspection, InspectionResult, SyncReceipt, SyncConflict)
    }


def push(client, records, **extra):
    return client.post(PUSH, json={"records": records, **extra})


def test_push_creates_then_replays_as_duplicates(pack, factory, db):
    engineer, pack_json = pack
    device = factory.device("L09")
    template = template_for(pack_json)
    visit = rec.visit("520000")
    batch = [visit, rec.inspection(template, device.tag, visit["uuid"])]
    first = push(engineer, batch)
    assert first.status_code == 200, first.get_json()
    assert [r["status"] for r in first.get_json()["results"]] == ["created", "created"]
    before = counts(db)
    for _ in range(5):
        again = push(engineer, batch).get_json()["results"]
        assert [r["status"] for r in again] == ["duplicate", "duplicate"]
        assert [r["id"] for r in again] == [r["id"] for r in first.get_json()["results"]]
    assert counts(db) == before
    inspection = db.session.scalar(sa.select(Inspection))
    assert inspection.device_id == device.id and inspection.visit_id is not None
    assert inspection.user_id == engineer.user.id and inspection.client_time is not None
    assert inspection.lat == 26.6 and inspection.accuracy_m == 12.0


def test_inspection_before_its_visit_in_batch_and_across_batches(pack, db):
    engineer, pack_json = pack
    template = template_for(pack_json)
    visit = rec.visit("520000")
    later_visit = rec.visit("520100")
    inspections = [rec.inspection(template, _tag(), v["uuid"]) for v in (visit, later_visit)]
    answers = push(engineer, [inspections[0], visit, inspections[1]]).get_json()["results"]
    assert [a["status"] for a in answers] == ["created"] * 3
    push(engineer, [later_visit])
    linked = {i.uuid: i.visit_id for i in db.session.scalars(sa.select(Inspection))}
    visits = {v.uuid: v.id for v in db.session.scalars(sa.select(Visit))}
    assert [linked[i["uuid"]] for i in inspections] == [
        visits[visit["uuid"]],
        visits[later_visit["uuid"]],
    ]


def _tag(n: int = 7) -> str:
    from server import tags

    return tags.make_tag(90000 + n)


def test_same_uuid_other_content_is_a_conflict_kept_aside(pack, db, auth):
    engineer, pack_json = pack
    template = template_for(pack_json)
    record = rec.inspection(template, _tag())
    push(engineer, [record])
    changed = copy.deepcopy(record)
    changed["data"]["notes"] = "edited on the phone after sending"
    for _ in range(3):
        answer = push(engineer, [changed]).get_json()["results"][0]
        assert answer["status"] == "conflict" and answer["conflict_id"]
    assert counts(db)["inspection"] == 1 and counts(db)["sync_conflict"] == 1
    stored = db.session.scalar(sa.select(Inspection))
    assert stored.notes is None  # never overwritten
    supervisor = auth("supervisor")
    listed = supervisor.get("/api/v1/sync/conflicts?state=open").get_json()
    assert listed["total"] == 1 and listed["items"][0]["original"]["id"] == stored.id
    conflict_id = listed["items"][0]["id"]
    resolved = supervisor.post(
        f"/api/v1/sync/conflicts/{conflict_id}/resolve",
        json={"resolution": "accepted", "note": "phone was right"},
    )
    assert resolved.status_code == 200, resolved.get_json()
    new = db.session.scalar(
        sa.select(Inspection).where(Inspection.uuid == resolved.get_json()["accepted_uuid"])
    )
    assert (
        new.supersedes_uuid == record["uuid"] and new.notes == "edited on the phone after sending"
    )
    again = supervisor.post(
        f"/api/v1/sync/conflicts/{conflict_id}/resolve", json={"resolution": "dismissed"}
    )
    assert again.status_code == 409
    assert engineer.get("/api/v1/sync/conflicts").status_code == 403


def test_app_version_change_on_retry_is_still_a_duplicate(pack):
    engineer, pack_json = pack
    record = rec.inspection(template_for(pack_json), _tag())
    push(engineer, [record])
    retried = dict(record, app_version="0.2.0")
    assert push(engineer, [retried]).get_json()["results"][0]["status"] == "duplicate"


def test_one_bad_record_does_not_sink_the_others(pack, db):
    engineer, pack_json = pack
    template = template_for(pack_json)
    good = rec.inspection(template, _tag(1))
    bad_tag = rec.inspection(template, "GZ00000X")
    missing = rec.inspection(template, _tag(2))
    del missing["data"]["template_id"]
    wrong_item = rec.inspection(template, _tag(3))
    wrong_item["data"]["results"].append({"key": "no.such.item", "value": "pass"})
    unknown_type = rec.envelope("teleport", {})
    no_uuid = rec.visit("520000")
    del no_uuid["uuid"]
    naive_time = rec.visit("520000")
    naive_time["client_time"] = "2026-11-24T05:00:00"
    unknown_site = rec.visit("999999")
    answers = push(
        engineer,
        [
            good,
            bad_tag,
            missing,
            wrong_item,
            unknown_type,
            no_uuid,
            naive_time,
            unknown_site,
            "not an object",
            None,
        ],
    ).get_json()["results"]
    assert [a["status"] for a in answers] == ["created"] + ["rejected"] * 9
    assert "check character" in answers[1]["reason"] or "check" in str(answers[1]["errors"])
    assert "template_id" in answers[2]["errors"]["data"]
    assert "results" in answers[3]["errors"]["data"]
    assert "type" in answers[4]["errors"]
    assert "uuid" in answers[5]["errors"]
    assert "client_time" in answers[6]["errors"]
    assert "site_code" in answers[7]["errors"]["data"]
    assert counts(db)["inspection"] == 1 and counts(db)["sync_receipt"] == 1
    # a rejected record can be fixed and resent under the same UUID
    fixed = copy.deepcopy(unknown_site)
    fixed["data"]["site_code"] = "520000"
    assert push(engineer, [fixed]).get_json()["results"][0]["status"] == "created"


def test_number_outside_its_range_fails_with_reason(pack, db):
    engineer, pack_json = pack
    template = template_for(pack_json, with_number=True)
    record = rec.inspection(template, _tag())
    number = next(
        r for r, i in zip(record["data"]["results"], template["items"]) if i["type"] == "number"
    )
    item = next(i for i in template["items"] if i["key"] == number["key"])
    number["value"] = item["max"] + 100
    assert push(engineer, [record]).get_json()["results"][0]["status"] == "created"
    stored = db.session.scalar(sa.select(Inspection))
    result = next(r for r in stored.results if r.item_key == number["key"])
    assert (result.outcome, result.reason, stored.outcome) == ("fail", "out_of_range", "fail")


def test_template_version_is_pinned(pack):
    engineer, pack_json = pack
    template = template_for(pack_json)
    record = rec.inspection(template, _tag(), template_version=template["version"] + 1)
    answer = push(engineer, [record]).get_json()["results"][0]
    assert answer["status"] == "rejected" and "template_version" in answer["errors"]["data"]


def test_unknown_tag_is_resolved_when_the_device_is_registered(pack, factory, db):
    engineer, pack_json = pack
    tag = _tag(11)
    push(engineer, [rec.inspection(template_for(pack_json), tag)])
    assert db.session.scalar(sa.select(Inspection.device_id)) is None
    device = factory.device("L09", tag=tag)
    db.session.expire_all()
    assert db.session.scalar(sa.select(Inspection.device_id)) == device.id


@pytest.mark.parametrize(
    "body",
    [
        None,
        {},
        {"records": "x"},
        {"records": []},
        {"records": [{}] * 201},
        {"records": [], "extra": 1},
    ],
)
def test_malformed_batches_get_422_and_write_nothing(pack, db, body):
    engineer, _ = pack
    if body is None:
        response = engineer.post(PUSH, data="{not json", content_type="application/json")
        assert response.status_code == 400
        assert response.get_json()["error"]["errors"]["json"][0] == "Invalid JSON body."
    else:
        response = engineer.post(PUSH, json=body)
        assert response.status_code == 422
    assert response.get_json()["error"]["message"]
    assert counts(db)["sync_receipt"] == 0


def test_clock_skew_is_recorded_and_flagged(pack, db):
    engineer, pack_json = pack
    record = rec.inspection(template_for(pack_json), _tag())
    body = push(engineer, [record], sent_at=rec.now_iso(timedelta(minutes=-12))).get_json()
    assert body["clock_warning"] is True and body["clock_skew_seconds"] < -600
    assert db.session.scalar(sa.select(Inspection.clock_skew_seconds)) < -600
    fine = push(
        engineer, [rec.inspection(template_for(pack_json), _tag(3))], sent_at=rec.now_iso()
    ).get_json()
    assert fine["clock_warning"] is False


def test_without_sent_at_only_a_record_from_the_future_betrays_the_clock(pack, db):
    engineer, pack_json = pack
    offline = rec.inspection(template_for(pack_json), _tag(4))
    offline["client_time"] = rec.now_iso(timedelta(days=-3))  # made offline days ago: fine
    ahead = rec.inspection(template_for(pack_json), _tag(5))
    ahead["client_time"] = rec.now_iso(timedelta(minutes=30))
    body = push(engineer, [offline, ahead]).get_json()
    assert [r["clock_skew_seconds"] for r in body["results"]][0] == 0
    assert body["results"][1]["clock_skew_seconds"] > 1700 and body["clock_warning"] is True


def test_roles_viewer_cannot_push_and_anonymous_gets_401(reference_data, auth, client):
    viewer = auth("viewer")
    assert push(viewer, [rec.visit("520000")]).status_code == 403
    assert client.post(PUSH, json={"records": [rec.visit("520000")]}).status_code == 401
    assert client.get(PULL).status_code == 401


def test_pull_with_cursor_sends_only_changes(pack, factory, db):
    engineer, full = pack
    assert full["full"] is True and len(full["sites"]) == 99 and full["templates"]
    again = engineer.get(f"{PULL}?cursor={full['cursor']}").get_json()
    assert again["full"] is False
    # the overlap window may resend recent rows, but never misses a change
    device = factory.device("L09")
    delta = engineer.get(f"{PULL}?cursor={full['cursor']}").get_json()
    assert device.id in [d["id"] for d in delta["devices"]]
    nonsense = engineer.get(f"{PULL}?cursor=garbage").get_json()
    assert nonsense["full"] is True


def test_pull_cursor_outside_the_overlap_skips_old_rows(pack, factory, db):
    from server.models import Device, Room, Site, utcnow
    from server.services.sync.pull import make_cursor

    engineer, _ = pack
    factory.device("L09")
    long_ago = utcnow() - timedelta(hours=2)
    for model in (Site, Room, Device):
        db.session.execute(sa.update(model).values(updated_at=long_ago))
    db.session.commit()
    delta = engineer.get(f"{PULL}?cursor={make_cursor(utcnow())}").get_json()
    assert delta["full"] is False and delta["sites"] == [] and delta["devices"] == []


def test_demo_pack_fits_in_200_kb_gzipped(demo, auth):
    body = auth("engineer").get(PULL).get_data()
    size = len(gzip.compress(body, 6))
    print(
        f"demo field pack: {len(body)} bytes, {size} bytes gzipped, "
        f"{len(json.loads(body)['devices'])} devices"
    )
    assert size < 200 * 1024


def test_inspection_api_shows_missing_photos_until_they_arrive_and_supersession(
    pack, db, app, tmp_path, auth
):
    import hashlib
    import io

    from PIL import Image

    engineer, pack_json = pack
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 200, 10)).save(buffer, "JPEG")
    photo = buffer.getvalue()
    sha = hashlib.sha256(photo).hexdigest()
    template = template_for(pack_json)
    original = rec.inspection(template, _tag(), photo=sha)
    correction = rec.inspection(template, _tag(), supersedes=original["uuid"], notes="fixed")
    push(engineer, [original, correction])  # records first, the photo later
    viewer = auth("viewer")
    page = viewer.get(f"/api/v1/inspections?tag={_tag()}").get_json()
    assert page["total"] == 2
    by_uuid = {i["uuid"]: i for i in page["items"]}
    assert by_uuid[original["uuid"]]["missing_photos"] == [sha]
    assert by_uuid[original["uuid"]]["superseded_by"] == [correction["uuid"]]
    assert by_uuid[correction["uuid"]]["supersedes"] == original["uuid"]
    assert (
        engineer.put(f"/api/v1/photos/{sha}", data=photo, content_type="image/jpeg").status_code
        == 201
    )
    one = viewer.get(f"/api/v1/inspections/{original['uuid']}").get_json()
    assert one["missing_photos"] == [] and one["photos"] == [sha]
    assert viewer.get("/api/v1/visits").status_code == 200
    assert viewer.get("/api/v1/inspections/not-a-uuid").status_code == 404


def test_inspection_filters(pack, factory, reference_data, auth):
    engineer, pack_json = pack
    template = template_for(pack_json)
    site_code = "520200"
    room = reference_data["rooms"][(site_code, "main_conference")]
    device = factory.device("L09", room=room)
    visit = rec.visit("520100")
    by_device = rec.inspection(template, device.tag)
    in_visit = rec.inspection(template, _tag(21), visit["uuid"])
    push(engineer, [visit, by_device, in_visit])
    viewer = auth("viewer")

    def uuids(query):
        page = viewer.get(f"/api/v1/inspections?{query}")
        assert page.status_code == 200, page.get_json()
        return {i["uuid"] for i in page.get_json()["items"]}

    assert uuids(f"site={site_code}") == {by_device["uuid"]}
    assert uuids("site=520100") == {in_visit["uuid"]}
    assert uuids(f"visit={visit['uuid']}") == {in_visit["uuid"]}
    assert uuids(f"tag={device.tag.lower()}") == {by_device["uuid"]}
    assert uuids("tag=GZ00000X") == set()
    outcome = viewer.get(f"/api/v1/inspections/{by_device['uuid']}").get_json()["outcome"]
    other = "fail" if outcome != "fail" else "pass"
    assert uuids(f"outcome={outcome}") == {by_device["uuid"], in_visit["uuid"]}
    assert uuids(f"outcome={other}") == set()
    today = rec.now_iso()[:10]
    assert len(uuids(f"date={today}")) == 2
    visits = viewer.get("/api/v1/visits?site=520100").get_json()
    assert [v["uuid"] for v in visits["items"]] == [visit["uuid"]]
    # Inspections before their visit: found by its UUID while it is awaited, then by the visit.
    late = rec.visit("520300")
    early = rec.inspection(template, _tag(22), late["uuid"])
    push(engineer, [early])
    assert uuids(f"visit={late['uuid']}") == {early["uuid"]}
    assert uuids("site=520300") == set()  # no visit there yet, and no device of its
    push(engineer, [late])
    assert uuids(f"visit={late['uuid']}") == {early["uuid"]}
    assert uuids("site=520300") == {early["uuid"]}


@pytest.mark.parametrize(
    "bad,field",
    [
        ({"value": "pass"}, "key"),
        ({"key": "x" * 65, "value": "pass"}, "key"),
        ({"key": "k", "note": 5}, "note"),
        ({"key": "k", "photos": ["nothex"]}, "photos"),
        ({"key": "k", "colour": "red"}, "colour"),
        ("just a string", "_schema"),
    ],
)
def test_malformed_results_are_rejected_with_the_field(pack, bad, field):
    engineer, pack_json = pack
    record = rec.inspection(template_for(pack_json), _tag())
    record["data"]["results"].append(bad)
    answer = push(engineer, [record]).get_json()["results"][0]
    index = len(record["data"]["results"]) - 1
    assert answer["status"] == "rejected"
    assert field in answer["errors"]["data"]["results"][str(index)]


def test_the_same_uuid_twice_in_one_batch(pack, db):
    engineer, pack_json = pack
    record = rec.inspection(template_for(pack_json), _tag(31))
    other = copy.deepcopy(record)
    other["data"]["notes"] = "second thoughts"
    answers = push(engineer, [record, record, other]).get_json()["results"]
    assert [a["status"] for a in answers] == ["created", "duplicate", "conflict"]
    assert counts(db)["inspection"] == 1 and counts(db)["sync_conflict"] == 1


def test_every_pull_carries_the_sla_rules_in_seconds(pack):
    """The phone's clocks (pwa/static/js/sla.js) read their limits from here, offline too."""
    engineer, full = pack
    rules = full["constants"]["sla"]
    assert rules["response_target"] == 600 and rules["handling_limit"] == 4 * 3600
    assert rules["response_bands"][0] == [600, 0] and rules["response_bands"][-1] == [None, -20]
    assert rules["warning_windows"] == {
        "response": 300,
        "work": 1800,
        "spare": 1800,
        "handling": 1800,
    }
    delta = engineer.get(f"{PULL}?cursor={full['cursor']}").get_json()
    assert delta["constants"] == full["constants"]
