"""Corrections cannot erase another engineer's evidence (issue 11, finding 2).

A correction (`supersedes`) must be of the same device, in the same visit when the original
has one, by the original's engineer or a supervisor/admin; a correction arriving before its
original claims nothing until the original arrives and matches.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db as _db
from server.models import Inspection, Room, Site, Visit, VisitTarget
from server.services.coverage import targets as visit_targets
from tests import sync_records as rec
from tests.server.api.test_sync import PULL, push, template_for


@pytest.fixture
def scene(reference_data, auth, factory):
    """Alice inspected device A at 520100; Bob works at 520300 with device B."""
    alice, bob = auth("engineer"), auth("engineer")
    template = template_for(alice.get(PULL).get_json())
    rooms = {
        code: _db.session.scalar(sa.select(Room).join(Site).where(Site.code == code))
        for code in ("520100", "520300")
    }
    device_a, device_b = (
        factory.device("L09", room=rooms["520100"]),
        factory.device("L09", room=rooms["520300"]),
    )
    visit = rec.visit("520100")
    original = passing(template, device_a.tag, visit["uuid"])
    bob_visit = rec.visit("520300")
    return {
        "alice": alice,
        "bob": bob,
        "template": template,
        "a": device_a,
        "b": device_b,
        "visit": visit,
        "original": original,
        "bob_visit": bob_visit,
        "auth": auth,
    }


def passing(template: dict, tag: str, visit_uuid: str | None, **data) -> dict:
    record = rec.inspection(template, tag, visit_uuid, **data)
    for result, item in zip(record["data"]["results"], template["items"]):
        if item["type"] == "photo":
            result["value"] = "na"
    return record


def statuses(client, records) -> list[dict]:
    response = push(client, records)
    assert response.status_code == 200, response.get_json()
    _db.session.expire_all()
    return response.get_json()["results"]


def covered(visit_uuid: str) -> set[int | None]:
    """The devices the visit counts as inspected, after checking the rows are exact."""
    fresh = {
        (r.visit_id, r.device_id) for r in _db.session.execute(visit_targets.targets(sa.true()))
    }
    assert {(t.visit_id, t.device_id) for t in _db.session.scalars(sa.select(VisitTarget))} == fresh
    visit_id = _db.session.scalar(sa.select(Visit.id).where(Visit.uuid == visit_uuid))
    return {device for visit, device in fresh if visit == visit_id}


def state_of(uuid: str) -> str | None:
    return _db.session.scalar(sa.select(Inspection.supersede_state).where(Inspection.uuid == uuid))


@pytest.mark.parametrize(
    "who, device, same_visit, because",
    [
        ("bob", "b", False, "another engineer"),  # what the attacker did
        ("bob", "a", True, "another engineer"),  # right device and visit, wrong engineer
        ("alice", "b", True, "another device"),
        ("alice", "a", False, "visit"),
    ],
)
def test_a_correction_breaking_the_rule_is_rejected_and_coverage_unchanged(
    scene, who, device, same_visit, because
):
    alice = scene["alice"]
    assert [a["status"] for a in statuses(alice, [scene["visit"], scene["original"]])] == [
        "created",
        "created",
    ]
    before = covered(scene["visit"]["uuid"])
    assert before == {scene["a"].id}
    visit = scene["visit"] if same_visit else scene["bob_visit"]
    correction = passing(
        scene["template"],
        scene[device].tag,
        visit["uuid"],
        supersedes=scene["original"]["uuid"],
        notes="not what happened",
    )
    answers = statuses(scene[who], [visit, correction] if not same_visit else [correction])
    answer = answers[-1]
    assert answer["status"] == "rejected" and answer["code"] == "supersede_forbidden", answer
    assert because in answer["errors"]["data"]["supersedes"][0]
    assert covered(scene["visit"]["uuid"]) == before
    original = scene["auth"]("viewer").get(f"/api/v1/inspections/{scene['original']['uuid']}")
    assert original.get_json()["superseded_by"] == []


def test_an_early_correction_cannot_claim_an_original_it_has_no_right_to(scene):
    """Bob names Alice's UUID before her phone synced; her record then arrives and stays counted."""
    bob, alice = scene["bob"], scene["alice"]
    claim = passing(
        scene["template"],
        scene["b"].tag,
        scene["bob_visit"]["uuid"],
        supersedes=scene["original"]["uuid"],
    )
    assert [a["status"] for a in statuses(bob, [scene["bob_visit"], claim])] == [
        "created",
        "created",
    ]
    assert state_of(claim["uuid"]) == "pending"
    assert [a["status"] for a in statuses(alice, [scene["visit"], scene["original"]])] == [
        "created",
        "created",
    ]
    assert state_of(claim["uuid"]) == "review"
    assert covered(scene["visit"]["uuid"]) == {scene["a"].id}
    assert covered(scene["bob_visit"]["uuid"]) == {scene["b"].id}  # his own inspection counts
    viewer = scene["auth"]("viewer")
    assert (
        viewer.get(f"/api/v1/inspections/{scene['original']['uuid']}").get_json()["superseded_by"]
        == []
    )
    assert (
        viewer.get(f"/api/v1/inspections/{claim['uuid']}").get_json()["supersede_state"] == "review"
    )


def test_an_early_correction_of_the_same_engineer_counts_once_its_original_arrives(scene):
    alice = scene["alice"]
    correction = passing(
        scene["template"],
        scene["a"].tag,
        scene["visit"]["uuid"],
        supersedes=scene["original"]["uuid"],
    )
    statuses(alice, [scene["visit"], correction])
    assert state_of(correction["uuid"]) == "pending"
    statuses(alice, [scene["original"]])
    assert state_of(correction["uuid"]) == "valid"
    assert covered(scene["visit"]["uuid"]) == {scene["a"].id}


@pytest.mark.parametrize("corrector", ["alice", "supervisor", "admin"])
def test_the_engineer_or_a_supervisor_may_correct(scene, corrector):
    statuses(scene["alice"], [scene["visit"], scene["original"]])
    client = scene["alice"] if corrector == "alice" else scene["auth"](corrector)
    correction = passing(
        scene["template"],
        scene["a"].tag,
        scene["visit"]["uuid"],
        supersedes=scene["original"]["uuid"],
        notes="re-checked",
    )
    answer = statuses(client, [correction])[0]
    assert answer["status"] == "created", answer
    assert state_of(correction["uuid"]) == "valid"
    shown = scene["auth"]("viewer").get(f"/api/v1/inspections/{scene['original']['uuid']}")
    assert shown.get_json()["superseded_by"] == [correction["uuid"]]
    assert covered(scene["visit"]["uuid"]) == {scene["a"].id}
    superseded = _db.session.scalar(sa.select(sa.func.count()).select_from(VisitTarget))
    assert superseded == 1  # the device once, from the correction


def test_a_correction_and_its_original_in_one_batch_are_judged_too(scene):
    bob = scene["bob"]
    own = passing(scene["template"], scene["b"].tag, scene["bob_visit"]["uuid"])
    fine = passing(
        scene["template"], scene["b"].tag, scene["bob_visit"]["uuid"], supersedes=own["uuid"]
    )
    wrong = passing(
        scene["template"], scene["a"].tag, scene["bob_visit"]["uuid"], supersedes=own["uuid"]
    )
    answers = statuses(bob, [scene["bob_visit"], own, fine, wrong])
    assert [a["status"] for a in answers[:3]] == ["created"] * 3
    assert state_of(fine["uuid"]) == "valid"
    # Whichever of `wrong` and `own` the server takes first (UUID order), `wrong` claims nothing.
    assert answers[3]["status"] == "rejected" or state_of(wrong["uuid"]) == "review"
    assert answers[3].get("code", "supersede_forbidden") == "supersede_forbidden"
