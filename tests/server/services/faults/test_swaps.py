"""Swap and rma_return record types called directly: apply, flag conflicts, reject bad input, RMA flows."""

import uuid
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.errors import Conflict, Invalid
from server.extensions import db
from server.models import AuditLog, DeviceEvent, RmaRecord, Swap
from server.services.faults import rma, swaps
from server.services.faults.records import store_fault, store_rma_return, store_swap
from tests.server.fault_scene import build_scene, meta, snapshot
from tests.server.frozen import FrozenClock, cst


@pytest.fixture
def scene(reference_data, factory):
    return build_scene(reference_data, factory)


@pytest.fixture
def clock(monkeypatch):
    return FrozenClock(monkeypatch, cst(2026, 3, 7, 23, 50))  # Saturday night


def _swap(scene, clock, user=None, **data):
    record = {
        "faulty_tag": scene.faulty.tag,
        "spare_tag": scene.spare.tag,
        "swapped_at": clock.now,
        "better_grade": False,
        **data,
    }
    return store_swap(record, meta(user or scene.engineer, str(uuid.uuid4()), clock.now))


def test_swap_moves_units_opens_rma_and_marks_the_fault(scene, clock):
    fault = store_fault(
        {
            "tag": scene.faulty.tag,
            "reported_at": clock.now,
            "description": "dark",
            "photos": [],
            "severity": "major",
            "urgent_meeting": True,
            "source": "field",
        },
        meta(scene.engineer, str(uuid.uuid4())),
    )
    clock.advance(minutes=70)
    swap = _swap(scene, clock, fault_uuid=fault.uuid, expected_room_id=scene.room_a.id)
    assert swap.state == "applied" and swap.spare_from_room_id == scene.store.id
    assert snapshot(scene.spare, scene.faulty) == [
        (scene.room_a.id, "in_service"),
        (None, "in_repair"),
    ]
    assert fault.spare_installed_at == clock.now and fault.state == "spare_installed"
    record = db.session.scalar(sa.select(RmaRecord))
    assert (record.device_id, record.swap_id, record.fault_id) == (
        scene.faulty.id,
        swap.id,
        fault.id,
    )
    reasons = db.session.execute(
        sa.select(DeviceEvent.reason_code, DeviceEvent.reason_params, DeviceEvent.reason)
        .where(DeviceEvent.reason_code.is_not(None))
        .order_by(DeviceEvent.id)
    ).all()
    params = {"swap": swap.id, "fault": fault.id}
    assert sorted((code, str(p), typed) for code, p, typed in reasons[-2:]) == [
        ("sent_to_repair", str(params), None),
        ("spare_installed", str(params), None),
    ]


def test_swap_pushed_before_its_fault_is_linked_when_the_fault_arrives(scene, clock):
    fault_uuid = str(uuid.uuid4())
    swap = _swap(scene, clock, fault_uuid=fault_uuid)
    assert swap.fault_id is None and swap.state == "applied"
    fault = store_fault(
        {
            "tag": scene.faulty.tag,
            "reported_at": clock.now - timedelta(minutes=30),
            "description": "dark",
            "photos": [],
            "severity": "major",
            "urgent_meeting": False,
            "source": "field",
        },
        meta(scene.engineer, fault_uuid),
    )
    assert swap.fault_id == fault.id and fault.spare_installed_at == clock.now


def test_two_phones_install_the_same_spare_second_is_flagged(scene, clock):
    first = _swap(scene, clock)
    clock.advance(minutes=5)
    second = _swap(
        scene,
        clock,
        user=scene.engineer2,
        faulty_tag=scene.other.tag,
        expected_room_id=scene.room_b.id,
    )
    assert (first.state, second.state) == ("applied", "flagged")
    [flag] = second.flags
    assert flag["code"] == "spare_not_in_pool" and flag["params"]["swap"] == first.id
    assert flag["params"]["spare_tag"] == scene.spare.tag and flag["params"]["room"]
    assert snapshot(scene.other, scene.spare) == [
        (scene.room_b.id, "in_service"),
        (scene.room_a.id, "in_service"),
    ]
    # The supervisor applies it as scanned: the spare really is in room B.
    swaps.resolve_flagged(second, "apply", scene.supervisor, "phone 2 was right")
    assert second.state == "applied" and second.resolved_by_id == scene.supervisor.id
    assert snapshot(scene.spare, scene.other) == [
        (scene.room_b.id, "in_service"),
        (None, "in_repair"),
    ]
    with pytest.raises(Conflict):
        swaps.resolve_flagged(second, "dismiss", scene.supervisor)


def test_swap_of_a_unit_the_server_already_moved_is_flagged(scene, clock, factory):
    from server.services.core.device_changes import update_device

    update_device(scene.faulty, reason="moved by the office", room_id=scene.room_b.id)
    swap = _swap(scene, clock, expected_room_id=scene.room_a.id)
    assert swap.state == "flagged" and swap.flags == [
        {
            "code": "faulty_in_other_room",
            "params": {
                "faulty_tag": scene.faulty.tag,
                "room": scene.room_b.id,
                "expected_room": scene.room_a.id,
            },
        }
    ]
    moved = db.session.scalars(
        sa.select(DeviceEvent).where(DeviceEvent.device_id == scene.faulty.id)
    ).all()[-1]
    assert (moved.reason, moved.reason_code) == ("moved by the office", None)  # typed: kept
    assert snapshot(scene.faulty, scene.spare) == [
        (scene.room_b.id, "in_service"),
        (scene.store.id, "spare"),
    ]
    swaps.resolve_flagged(swap, "dismiss", scene.supervisor, "unit was moved; swap not done")
    assert swap.state == "dismissed" and db.session.scalar(sa.select(sa.func.count(Swap.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(RmaRecord.id))) == 0


def test_swapping_the_already_swapped_faulty_unit_again_is_flagged(scene, clock):
    _swap(scene, clock)
    clock.advance(minutes=1)
    again = _swap(scene, clock, user=scene.engineer2, spare_tag=scene.spare2.tag)
    assert again.state == "flagged" and [f["code"] for f in again.flags] == ["faulty_moved_out"]
    assert again.flags[0]["params"]["status"] == "in_repair"
    assert snapshot(scene.spare2) == [(scene.store.id, "spare")]


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"spare_tag": "faulty"}, "spare_tag", "swapped with itself"),
        ({"spare_tag": "spare_terminal"}, "spare_tag", "must be the same type"),
        ({"spare_tag": "other"}, "spare_tag", "is not a spare"),
        ({"faulty_tag": "spare2"}, "faulty_tag", "spare pool, not installed"),
        ({"spare_tag": "GZ0000000"}, "spare_tag", "GZ"),
    ],
)
def test_bad_swaps_are_rejected_and_change_nothing(scene, clock, change, field, message):
    data = {
        key: getattr(scene, value).tag if hasattr(scene, value) else value
        for key, value in change.items()
    }
    before = snapshot(scene.faulty, scene.spare, scene.spare2, scene.other, scene.spare_terminal)
    audit_rows = db.session.scalar(sa.select(sa.func.count(AuditLog.id)))
    with pytest.raises(Invalid, match=message) as caught:
        _swap(scene, clock, **data)
    assert field in caught.value.errors["json"]
    db.session.rollback()
    assert (
        snapshot(scene.faulty, scene.spare, scene.spare2, scene.other, scene.spare_terminal)
        == before
    )
    assert db.session.scalar(sa.select(sa.func.count(Swap.id))) == 0
    assert db.session.scalar(sa.select(sa.func.count(AuditLog.id))) == audit_rows


def test_retired_unit_and_better_grade_rules(scene, clock, factory):
    from server.services.core.device_changes import update_device

    terminal = factory.device("L07", status="spare")  # a terminal for a camera: another kind
    with pytest.raises(Invalid, match="same type"):
        _swap(scene, clock, spare_tag=terminal.tag)
    update_device(scene.spare, reason="broken in store", status="retired")
    with pytest.raises(Invalid, match="retired"):
        _swap(scene, clock)
    update_device(scene.other, reason="end of life", status="retired")
    with pytest.raises(Invalid, match=f"{scene.other.tag} is retired"):
        _swap(scene, clock, faulty_tag=scene.other.tag, spare_tag=scene.spare2.tag)


def test_better_grade_of_the_same_kind_is_accepted_only_when_said(scene, clock, factory):
    terminal = factory.device("L08", room=scene.room_a)
    with pytest.raises(Invalid, match="set better_grade"):
        _swap(scene, clock, faulty_tag=terminal.tag, spare_tag=scene.spare_terminal.tag)
    swap = _swap(
        scene, clock, faulty_tag=terminal.tag, spare_tag=scene.spare_terminal.tag, better_grade=True
    )
    assert swap.state == "applied" and swap.better_grade


def _return(record, scene, clock, **data):
    body = {"rma_id": record.id, "outcome": "repaired", "returned_at": clock.now, **data}
    return store_rma_return(body, meta(scene.engineer, str(uuid.uuid4())))


def test_rma_return_swap_back_puts_the_spare_back_in_the_pool(scene, clock):
    swap = _swap(scene, clock)
    record = db.session.scalar(sa.select(RmaRecord).where(RmaRecord.swap_id == swap.id))
    rma.update_rma(
        record,
        vendor="Hikvision",
        sent_at=clock.advance(days=1),
        expected_back=(clock.now + timedelta(days=14)).date(),
    )
    _return(record, scene, clock, returned_at=clock.advance(days=10), disposition="swap_back")
    assert snapshot(scene.faulty, scene.spare) == [
        (scene.room_a.id, "in_service"),
        (scene.store.id, "spare"),
    ]
    assert not record.open and record.returned_by_id == scene.engineer.id
    with pytest.raises(Conflict, match="already returned"):
        _return(record, scene, clock, disposition="keep")


def test_rma_return_keep_replaced_unit_becomes_a_spare_with_its_new_serial(scene, clock):
    swap = _swap(scene, clock)
    record = db.session.scalar(sa.select(RmaRecord).where(RmaRecord.swap_id == swap.id))
    with pytest.raises(Invalid, match="new unit's serial"):
        _return(record, scene, clock, outcome="replaced", disposition="keep")
    _return(record, scene, clock, outcome="replaced", new_serial="CAM-NEW-9", disposition="keep")
    assert snapshot(scene.faulty, scene.spare) == [
        (scene.store.id, "spare"),
        (scene.room_a.id, "in_service"),
    ]
    assert (scene.faulty.serial, record.old_serial, record.new_serial) == (
        "CAM-NEW-9",
        "CAM-A-1",
        "CAM-NEW-9",
    )


def test_rma_return_scrapped_retires_the_unit_and_bad_returns_change_nothing(scene, clock):
    swap = _swap(scene, clock)
    db.session.commit()
    record = db.session.scalar(sa.select(RmaRecord).where(RmaRecord.swap_id == swap.id))
    for bad, message in (
        ({"outcome": "scrapped", "disposition": "keep"}, "leave disposition out"),
        ({"disposition": None}, "swap_back or keep"),
        ({"disposition": "keep", "store_room_id": scene.room_b.id}, "not a spare holding"),
    ):
        with pytest.raises(Invalid, match=message):
            _return(record, scene, clock, **bad)
        db.session.rollback()
        assert snapshot(scene.faulty) == [(None, "in_repair")]
    _return(record, scene, clock, outcome="scrapped")
    assert snapshot(scene.faulty, scene.spare) == [
        (None, "retired"),
        (scene.room_a.id, "in_service"),
    ]


def test_rma_without_swap_cannot_swap_back(scene, clock):
    record = rma.create_rma(tag=scene.other.tag, user=scene.engineer, vendor="Sony")
    assert snapshot(scene.other) == [(None, "in_repair")]
    with pytest.raises(Conflict, match="already at repair"):
        rma.create_rma(tag=scene.other.tag, user=scene.engineer)
    with pytest.raises(Invalid, match="no swap to undo"):
        _return(record, scene, clock, disposition="swap_back")
