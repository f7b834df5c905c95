"""In-meeting incidents pushed through sync: once under replay, refusals that write nothing,
flags, and the fault an incident becomes (its clock running from the incident's start)."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Fault, FaultStep, MeetingIncident, SyncReceipt
from tests.server.meetings.helpers import START
from tests.server.meetings.log_helpers import (
    incident_data,
    new_uuid,
    push,
    record,
)


def _count(model) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(model))


def test_an_incident_is_stored_once_with_who_both_clocks_and_where(log_scene):
    rec = record("meeting_incident", incident_data(log_scene), at=START + timedelta(minutes=24))
    assert [r["status"] for r in push(log_scene["phone"], rec)] == ["created"]
    again = push(log_scene["phone"], rec)
    assert [r["status"] for r in again] == ["duplicate"]
    incident = db.session.scalar(sa.select(MeetingIncident))
    assert _count(MeetingIncident) == 1 and _count(Fault) == 0
    assert incident.user_id == log_scene["engineers"][0].id
    assert incident.client_time == START + timedelta(minutes=24)
    assert incident.server_time is not None and (incident.lat, incident.lon) == (26.57, 106.71)
    assert (incident.kind, incident.duration_min, incident.flags) == ("lost_sound", 3, None)


def test_an_incident_turned_into_a_fault_runs_its_clock_from_the_start(log_scene):
    started = START + timedelta(minutes=20)
    data = incident_data(log_scene, to_fault=True, tag=log_scene["unit"].tag)
    rec = record("meeting_incident", data, at=started + timedelta(minutes=2))
    # a step for the fault, pushed in the same offline batch: the fault takes the incident's uuid
    step = record(
        "fault_step",
        {"fault_uuid": rec["uuid"], "step": "responded", "at": started.isoformat()},
        at=started,
    )
    assert [r["status"] for r in push(log_scene["phone"], rec, step)] == ["created"] * 2
    fault = db.session.scalar(sa.select(Fault))
    incident = db.session.scalar(sa.select(MeetingIncident))
    assert incident.fault_id == fault.id and fault.uuid == rec["uuid"]
    assert (fault.reported_at, fault.responded_at) == (started, started)
    assert fault.device_id == log_scene["unit"].id and fault.urgent_meeting
    assert "会中故障" in fault.description and fault.user_id == log_scene["engineers"][0].id
    assert [r["status"] for r in push(log_scene["phone"], rec, step)] == ["duplicate"] * 2
    assert (_count(Fault), _count(FaultStep), _count(MeetingIncident)) == (1, 2, 1)


def _cancel(log_scene):
    meeting_id = log_scene["meeting"]["id"]
    made = log_scene["boss"].post(f"/api/v1/meetings/{meeting_id}/cancel", json={})
    assert made.status_code == 200, made.get_json()


REFUSALS = {
    "meeting_unknown": ("meeting_id", lambda s: {"meeting_id": 999999}),
    "meeting_cancelled": ("meeting_id", lambda s: _cancel(s) or {}),
    "site_not_in_meeting": ("site_id", lambda s: {"site_id": s["sites"]["522300"].id}),
    "fault_tag_required": ("tag", lambda s: {"to_fault": True}),
    "fault_tag_unknown": ("tag", lambda s: {"to_fault": True, "tag": "GZ0000000"}),
    "fault_tag_not_at_site": (
        "tag",
        lambda s: {"to_fault": True, "tag": s["other_unit"].tag},
    ),
}


@pytest.mark.parametrize("code", sorted(REFUSALS))
def test_a_refused_incident_writes_nothing_and_the_good_one_beside_it_is_kept(log_scene, code):
    field, change = REFUSALS[code]
    bad = record("meeting_incident", incident_data(log_scene, **change(log_scene)))
    good = record("meeting_incident", incident_data(log_scene))
    if code == "meeting_cancelled":  # nothing is good in a cancelled meeting
        good = record("meeting_incident", incident_data(log_scene, meeting_id=999999))
    answers = push(log_scene["phone"], bad, good)
    assert answers[0]["status"] == "rejected" and answers[0]["code"] == code, answers[0]
    assert field in answers[0]["errors"]["data"]
    kept = 0 if code == "meeting_cancelled" else 1
    assert _count(MeetingIncident) == kept and _count(Fault) == 0 and _count(FaultStep) == 0
    receipts = db.session.scalars(sa.select(SyncReceipt.uuid)).all()
    assert bad["uuid"] not in receipts


def test_a_fault_on_a_retired_unit_is_refused_whole(log_scene):
    log_scene["unit"].status = "retired"
    db.session.commit()
    data = incident_data(log_scene, to_fault=True, tag=log_scene["unit"].tag)
    answer = push(log_scene["phone"], record("meeting_incident", data))[0]
    assert answer["status"] == "rejected" and "tag" in answer["errors"]["data"]
    assert _count(MeetingIncident) == 0 and _count(Fault) == 0


def test_unassigned_author_and_hours_far_off_are_flagged_not_refused(log_scene, auth, factory):
    stranger = auth("engineer", factory.user("engineer"))
    early = START - timedelta(hours=1, minutes=5)
    recs = [
        record("meeting_incident", incident_data(log_scene, started_at=early.isoformat())),
        record(
            "meeting_incident",
            incident_data(log_scene, started_at=(START - timedelta(minutes=59)).isoformat()),
        ),
    ]
    assert [r["status"] for r in push(stranger, *recs)] == ["created", "created"]
    flags = {
        i.started_at: [f["code"] for f in i.flags]
        for i in db.session.scalars(sa.select(MeetingIncident))
    }
    assert flags == {
        early: ["not_assigned", "incident_outside_hours"],
        START - timedelta(minutes=59): ["not_assigned"],
    }
    late = START + timedelta(hours=3, minutes=1)  # ends_at + 1 h is the last unflagged minute
    push(
        log_scene["phone"],
        record("meeting_incident", incident_data(log_scene, started_at=late.isoformat())),
    )
    incident = db.session.scalar(
        sa.select(MeetingIncident).where(MeetingIncident.started_at == late)
    )
    assert [f["code"] for f in incident.flags] == ["incident_outside_hours"]


def test_an_incident_at_the_host_site_is_accepted(log_scene):
    data = incident_data(log_scene, site_id=log_scene["host"].id, kind="mosaic")
    assert push(log_scene["phone"], record("meeting_incident", data))[0]["status"] == "created"


def test_bad_data_is_refused_by_the_schema(log_scene):
    data = incident_data(log_scene, kind="smoke", duration_min=-1)
    answer = push(log_scene["phone"], record("meeting_incident", data, uuid=new_uuid()))[0]
    assert answer["status"] == "rejected" and answer["code"] == "invalid"
    assert {"kind", "duration_min"} <= set(answer["errors"]["data"])


def test_a_fault_beside_a_refused_record_is_made_once(log_scene):
    """The batch's fast path is undone by the refusal and redone record by record."""
    data = incident_data(log_scene, to_fault=True, tag=log_scene["unit"].tag)
    good = record("meeting_incident", data)
    bad = record("meeting_incident", incident_data(log_scene, meeting_id=999999))
    answers = push(log_scene["phone"], good, bad)
    assert [a["status"] for a in answers] == ["created", "rejected"]
    assert (_count(MeetingIncident), _count(Fault), _count(FaultStep)) == (1, 1, 1)


def test_the_same_uuid_with_other_content_is_a_conflict_and_not_applied(log_scene):
    first = record("meeting_incident", incident_data(log_scene))
    assert push(log_scene["phone"], first)[0]["status"] == "created"
    changed = {**first, "data": incident_data(log_scene, to_fault=True, tag=log_scene["unit"].tag)}
    answer = push(log_scene["phone"], changed)[0]
    assert answer["status"] == "conflict" and answer["conflict_id"]
    incident = db.session.scalar(sa.select(MeetingIncident))
    assert (_count(MeetingIncident), _count(Fault), incident.fault_id) == (1, 0, None)
