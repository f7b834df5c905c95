"""Faults of the demo year with a spread of response and repair times, swaps and repairs.

The engineer's steps go through the phone (sync push); the office's (a fault reported by
phone, closing, the repaired unit's return) through the fault, swap and RMA services under the
office clock. Bands (docs/demo.md): most responses within 15 minutes, some late, a few beyond an
hour; most repairs within 2 hours, some beyond the 4-hour limit, some needing a spare.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import Device, Fault, Room, Site
from server.services.demo_year.clock import china, office_clock
from server.services.faults import lifecycle as fault_service
from server.services.faults import rma as rma_service

# Tuned so the demo's 2025 assessment passes with a few points lost on each form (issue 14):
# a handful of answers after 10 minutes (av -1), one or two after 15 or 30 (the software SLA,
# av -5), and a few repairs beyond 2 hours, among them the spare swaps.
RESPONSE_BANDS = ((0.88, 2, 9), (0.07, 11, 15), (0.03, 18, 28), (0.02, 35, 55))  # minutes
REPAIR_BANDS = ((0.92, 20, 90), (0.03, 130, 200), (0.02, 250, 380))  # the rest: a spare
DESCRIPTIONS = (
    "开机后无图像输出",
    "摄像机云台无法转动",
    "会议中断续无声",
    "终端无法入会",
    "交换机端口掉线",
)
RESOLUTIONS = ("重新插拔线缆并校准", "重启设备并恢复配置", "更换电源适配器", "固件升级后恢复")


def _minutes(rng, bands) -> int | None:
    roll = rng.random()
    for share, low, high in bands:
        if roll < share:
            return rng.randint(low, high)
        roll -= share
    return None


def _spare_types() -> set[int]:
    return set(
        db.session.scalars(sa.select(Device.type_id).where(Device.status == "spare").distinct())
    )


def _pick_device(rng, type_ids: set[int] | None = None) -> Device | None:
    query = (
        sa.select(Device)
        .join(Room, Room.id == Device.room_id)
        .join(Site, Site.id == Room.site_id)
        .where(Device.status == "in_service", Site.tier.in_(("province", "prefecture", "county")))
        .order_by(Device.id)
    )
    if type_ids is not None:
        query = query.where(Device.type_id.in_(type_ids))
    devices = db.session.scalars(query).all()
    return rng.choice(devices) if devices else None


def _spare_for(device: Device) -> Device | None:
    return db.session.scalar(
        sa.select(Device)
        .where(Device.status == "spare", Device.type_id == device.type_id)
        .order_by(Device.id)
    )


def one_fault(year, day: date) -> None:
    """A fault on a working day: reported, answered, repaired (or swapped), closed next day."""
    rng = year.rng
    repair = _minutes(rng, REPAIR_BANDS)
    device = _pick_device(rng, None if repair else _spare_types())
    if device is None:
        device, repair = _pick_device(rng), 90
    engineer = rng.choice(year.engineers)
    phone = year.phones[engineer.id]
    site = device.room.site
    reported = china(day, rng.randint(8, 16), rng.randint(0, 59))
    data = {
        "tag": device.tag,
        "reported_at": reported.isoformat(),
        "severity": rng.choices(("minor", "major", "critical"), (3, 6, 1))[0],
        "urgent_meeting": rng.random() < 0.1,
        "description": rng.choice(DESCRIPTIONS),
        "photos": [year.photos.new()],
    }
    response = _minutes(rng, RESPONSE_BANDS)
    responded = reported + timedelta(minutes=response)
    if rng.random() < 0.3:  # the bureau phoned it in: the supervisor records it at the office
        with office_clock(reported + timedelta(minutes=1)):
            fault = fault_service.create_fault(
                user=year.supervisor, source="phone", **{**data, "reported_at": reported}
            )
        fault_ref = {"fault_id": fault.id}
    else:
        fault_ref = {"fault_uuid": phone.record("fault", reported, data, site.region)}
    step = {"note": None, "resolution": None}
    phone.record(
        "fault_step",
        responded,
        {**fault_ref, **step, "step": "responded", "at": responded.isoformat()},
        site.region,
    )
    diagnosing = responded + timedelta(minutes=rng.randint(2, 10))
    phone.record(
        "fault_step",
        diagnosing,
        {**fault_ref, **step, "step": "diagnosing", "at": diagnosing.isoformat()},
        site.region,
    )
    if repair is None:
        resolved = _swap(year, phone, device, fault_ref, diagnosing, site)
    else:
        resolved = diagnosing + timedelta(minutes=repair)
    resolution = rng.choice(RESOLUTIONS) if repair else "更换备件，原设备送修"
    phone.record(
        "fault_step",
        resolved,
        {
            **fault_ref,
            "note": None,
            "resolution": resolution,
            "step": "resolved",
            "at": resolved.isoformat(),
        },
        site.region,
    )
    phone.send(resolved + timedelta(minutes=rng.randint(1, 30)))
    year.counts["faults"] += 1
    year.later.append((resolved + timedelta(days=1), lambda: _close(year, fault_ref, resolved)))


def _swap(year, phone, device: Device, fault_ref: dict, after: datetime, site: Site) -> datetime:
    """Not fixed within 3 hours of work: a spare of the same type is installed the same day."""
    spare = _spare_for(device)
    swapped = after + timedelta(minutes=year.rng.randint(190, 420))
    phone.record(
        "swap",
        swapped,
        {
            "faulty_tag": device.tag,
            "spare_tag": spare.tag,
            "swapped_at": swapped.isoformat(),
            **({"fault_uuid": fault_ref["fault_uuid"]} if "fault_uuid" in fault_ref else {}),
            **({"fault_id": fault_ref["fault_id"]} if "fault_id" in fault_ref else {}),
            "expected_room_id": device.room_id,
            "better_grade": False,
            "vendor": "原厂维修中心",
        },
        site.region,
    )
    year.counts["swaps"] += 1
    back = swapped + timedelta(days=year.rng.randint(10, 25))
    year.later.append((back, lambda: _return(year, device.id, back)))
    return swapped + timedelta(minutes=5)


def _fault(fault_ref: dict) -> Fault:
    if "fault_id" in fault_ref:
        return fault_service.get_fault(fault_ref["fault_id"])
    return fault_service.fault_by_uuid(fault_ref["fault_uuid"])


def _close(year, fault_ref: dict, resolved: datetime) -> None:
    at = resolved + timedelta(hours=year.rng.randint(16, 30))
    with office_clock(at):
        fault_service.close_fault(_fault(fault_ref), year.supervisor, at=at)


def _return(year, device_id: int, at: datetime) -> None:
    """The vendor sends the unit back repaired; it is swapped back and the spare returns."""
    record = rma_service.open_rma_of(db.session.get(Device, device_id))
    if record is None:
        return
    with office_clock(at):
        rma_service.return_rma(
            record,
            outcome="repaired",
            user=year.supervisor,
            returned_at=at,
            disposition="swap_back",
        )
    year.counts["repairs"] += 1
