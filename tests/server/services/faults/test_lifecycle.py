"""Fault service and the fault / fault_step record types: steps in any order, clocks, closing."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.errors import Forbidden, Invalid
from server.extensions import db
from server.models import Fault, FaultStep
from server.services.faults import lifecycle as faults
from server.services.faults import reports as fault_reports
from server.services.faults.records import store_fault, store_fault_step
from tests.server.fault_scene import build_scene, meta
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def scene(reference_data, factory):
    return build_scene(reference_data, factory)


def _raise(scene, clock, **data):
    record = {
        "tag": scene.faulty.tag,
        "reported_at": clock.now,
        "description": "no picture",
        "severity": "major",
        "urgent_meeting": False,
        "photos": [],
        "source": "field",
        **data,
    }
    return store_fault(record, meta(scene.engineer, str(uuid.uuid4()), clock.now))


def test_offline_fault_keeps_both_clocks_and_place(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 6, 23, 50))
    fault = _raise(scene, clock, reported_at=clock.now - timedelta(minutes=3))
    assert fault.state == "reported" and fault.site_id == scene.room_a.site_id
    assert fault.room_id == scene.room_a.id and fault.lat == 26.57
    assert [s.step for s in fault.steps] == ["reported"]


def test_steps_out_of_order_across_midnight_give_earliest_times(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 6, 23, 55))
    fault = _raise(scene, clock)
    fault_uuid = fault.uuid
    clock.set(cst(2026, 3, 7, 1, 0))
    step = {"fault_uuid": fault_uuid, "step": "diagnosing", "at": cst(2026, 3, 7, 0, 20)}
    store_fault_step(step, meta(scene.engineer, str(uuid.uuid4())))
    assert fault.state == "diagnosing" and fault.responded_at == cst(2026, 3, 7, 0, 20)
    # The response recorded earlier on another phone syncs later: the earlier time wins.
    store_fault_step(
        {**step, "step": "responded", "at": cst(2026, 3, 7, 0, 3)},
        meta(scene.engineer2, str(uuid.uuid4())),
    )
    assert fault.responded_at == cst(2026, 3, 7, 0, 3) and fault.state == "diagnosing"
    clocks = faults.clocks_of(fault)
    assert clocks["response"]["state"] == "met"
    assert clocks["work"]["due_at"] == cst(2026, 3, 7, 3, 20).isoformat()
    assert clocks["handling"]["state"] == "running"
    assert len(fault.steps) == 3


def test_resolve_needs_resolution_and_changes_nothing_without(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 7, 9, 0))
    fault = _raise(scene, clock)
    db.session.commit()
    with pytest.raises(Invalid, match="resolution"):
        faults.add_step(fault, "resolved", clock.now, scene.engineer)
    with pytest.raises(Invalid, match="without a resolution"):
        faults.close_fault(fault, scene.supervisor)
    db.session.rollback()
    fault = db.session.get(Fault, fault.id)
    assert fault.state == "reported" and fault.resolved_at is None and fault.closed_at is None
    assert db.session.scalar(sa.select(sa.func.count(FaultStep.id))) == 1


def test_close_resolves_and_stops_clocks(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 7, 22, 0))  # Saturday night
    fault = _raise(scene, clock, urgent_meeting=True)
    faults.add_step(fault, "responded", clock.advance(minutes=8), scene.engineer)
    faults.add_step(fault, "diagnosing", clock.advance(minutes=2), scene.engineer)
    clock.set(cst(2026, 3, 8, 1, 0))
    faults.close_fault(
        fault, scene.supervisor, resolution="reseated the HDMI cable", at=cst(2026, 3, 8, 0, 30)
    )
    assert (fault.state, fault.resolution) == ("closed", "reseated the HDMI cable")
    assert fault.resolved_at == fault.closed_at == cst(2026, 3, 8, 0, 30)
    clocks = faults.clocks_of(fault, now=cst(2026, 3, 10))
    assert clocks["work"]["state"] == "met"
    assert clocks["spare"]["state"] == "breached"  # urgent: 2 h, restored only at 02:30 elapsed
    assert clocks["handling"]["state"] == "met"


def test_bad_steps_are_rejected(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 7, 9, 0))
    fault = _raise(scene, clock)
    with pytest.raises(Invalid, match="before the fault was reported"):
        faults.add_step(fault, "responded", clock.now - timedelta(minutes=1), scene.engineer)
    with pytest.raises(Invalid, match="future"):
        faults.add_step(fault, "responded", clock.now + timedelta(hours=1), scene.engineer)
    with pytest.raises(Invalid, match="not a step one records"):
        faults.add_step(fault, "closed", clock.now, scene.engineer)
    with pytest.raises(Invalid, match="which fault"):
        store_fault_step(
            {"step": "responded", "at": clock.now}, meta(scene.engineer, str(uuid.uuid4()))
        )


def test_steps_synced_before_their_fault_wait_for_it(scene, monkeypatch):
    """The sync engine stores a batch in UUID order, so a step may come before its fault."""
    clock = FrozenClock(monkeypatch, cst(2026, 3, 8, 0, 30))  # Sunday, past midnight
    fault_uuid = str(uuid.uuid4())
    for step, minute, extra in (
        ("resolved", 25, {"resolution": "power cycled"}),
        ("responded", 2, {}),
        ("diagnosing", 5, {}),
    ):
        row = store_fault_step(
            {"fault_uuid": fault_uuid, "step": step, "at": cst(2026, 3, 8, 0, minute), **extra},
            meta(scene.engineer, str(uuid.uuid4())),
        )
        assert row.fault_id is None
    with pytest.raises(Invalid, match="resolution"):
        store_fault_step(
            {"fault_uuid": fault_uuid, "step": "resolved", "at": clock.now},
            meta(scene.engineer, str(uuid.uuid4())),
        )
    fault = store_fault(
        {
            "tag": scene.faulty.tag,
            "reported_at": cst(2026, 3, 7, 23, 58),
            "description": "no sound",
            "photos": [],
            "severity": "minor",
            "urgent_meeting": False,
            "source": "field",
        },
        meta(scene.engineer, fault_uuid),
    )
    assert (fault.state, fault.resolution) == ("resolved", "power cycled")
    assert fault.responded_at == cst(2026, 3, 8, 0, 2) and fault.resolved_at == cst(
        2026, 3, 8, 0, 25
    )
    assert [s.step for s in fault.steps] == ["reported", "responded", "diagnosing", "resolved"]
    clocks = faults.clocks_of(fault)
    assert clocks["response"]["state"] == "met" and clocks["work"]["state"] == "met"


def test_phone_call_fault_needs_a_supervisor(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 7, 9, 0))
    with pytest.raises(Forbidden):
        _raise(scene, clock, source="phone")
    fault = faults.create_fault(
        tag=scene.faulty.tag,
        description="call from the bureau",
        user=scene.supervisor,
        reported_at=clock.now - timedelta(minutes=12),
        source="phone",
    )
    assert fault.source == "phone" and faults.clocks_of(fault)["response"]["state"] == "breached"


def test_stats_and_breaches_for_a_month_with_frozen_time(scene, monkeypatch):
    clock = FrozenClock(monkeypatch, cst(2026, 3, 31, 23, 30))
    late_march = _raise(scene, clock)  # 15:30 UTC: March in local time
    faults.add_step(
        late_march, "responded", clock.advance(minutes=40), scene.engineer
    )  # April 00:10 local
    clock.set(cst(2026, 4, 1, 0, 20))
    april = _raise(scene, clock, tag=scene.other.tag)
    clock.set(cst(2026, 4, 1, 0, 28))
    march = fault_reports.stats(*faults_period("2026-03"))
    assert march["resolution"]["reported"] == 1 and march["response_deduction_estimate"] == -5
    found = fault_reports.breaches(*faults_period("2026-04"))
    assert [f.id for f, _ in found["about_to_breach"]] == [april.id]
    assert [(f.id, names) for f, names in found["breached"]] == [(late_march.id, ["response"])]
    assert fault_reports.stats(*faults_period("2026-04"))["resolution"]["reported"] == 1


def faults_period(month):
    from server import periods

    span = periods.month_span(*periods.parse_month(month))
    return span.start, span.end
