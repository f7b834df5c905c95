"""A unit the phone's pack does not know (issue 17): its inspection is recorded with the
generic checklist the pack names, stored against the tag and linked once the device exists."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server import tags
from server.models import INSPECTION_KINDS, UNKNOWN_DEVICE_KIND, Inspection
from tests import sync_records as rec

PUSH = "/api/v1/sync/push"


@pytest.fixture
def pack(reference_data, auth):
    engineer = auth("engineer")
    response = engineer.get("/api/v1/sync/pull")
    assert response.status_code == 200
    return engineer, response.get_json()


def unknown_template(pack_json: dict, kind: str = "quarterly") -> dict:
    """What the phone picks for a tag it does not know: the pack's unknown-unit template."""
    name = pack_json["constants"]["field"]["unknown_device_kind"]
    (template,) = [
        t
        for t in pack_json["templates"]
        if t["device_kind"] == name and t["inspection_kind"] == kind
    ]
    return template


def test_the_pack_names_a_template_of_every_kind_for_unknown_units(pack):
    _, pack_json = pack
    assert pack_json["constants"]["field"]["unknown_device_kind"] == UNKNOWN_DEVICE_KIND
    for kind in INSPECTION_KINDS:
        assert unknown_template(pack_json, kind)["items"], kind


def test_without_a_template_the_record_is_refused_as_the_phone_used_to_send_it(pack, db):
    engineer, pack_json = pack
    record = rec.inspection(unknown_template(pack_json), tags.make_tag(70001))
    record["data"].update(template_id=None, template_version=None, results=[])
    (answer,) = engineer.post(PUSH, json={"records": [record]}).get_json()["results"]
    assert answer["status"] == "rejected" and "template_id" in answer["errors"]["data"]


def test_an_unknown_tag_is_stored_then_linked_when_the_office_registers_it(
    pack, db, auth, reference_data
):
    engineer, pack_json = pack
    tag = tags.make_tag(70002)
    visit = rec.visit("520000")
    record = rec.inspection(unknown_template(pack_json), tag, visit["uuid"])
    answers = engineer.post(PUSH, json={"records": [visit, record]}).get_json()["results"]
    assert [a["status"] for a in answers] == ["created", "created"], answers
    stored = db.session.scalar(sa.select(Inspection).where(Inspection.tag == tag))
    assert stored.device_id is None and stored.outcome == "pass"

    supervisor = auth("supervisor")
    room_id = pack_json["rooms"][0]["id"]
    response = supervisor.post(
        "/api/v1/devices", json={"tag": tag, "type_code": "L09", "room_id": room_id}
    )
    assert response.status_code == 201, response.get_json()
    db.session.expire_all()
    assert db.session.get(Inspection, stored.id).device_id == response.get_json()["id"]
    listed = supervisor.get(f"/api/v1/inspections?tag={tag}").get_json()["items"]
    assert [i["uuid"] for i in listed] == [record["uuid"]]
