"""One demo meeting worked as the engineers' phones record it: arrival, switch-on confirmations,
the host room's pre-meeting checklist, joint tests, in-meeting incidents (one or two of the year
raised as faults), the usage register with its recordings; all pushed through the sync engine.

Most checks are on time; a few are late or never recorded (the rates below), as in a real year.
"""

from __future__ import annotations

import contextlib
import random
from datetime import datetime, timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Device, DeviceType, Meeting
from server.services.demo_year import field as field_work
from server.services.demo_year.clock import china, office_clock
from server.services.faults import lifecycle as fault_service
from server.services.meetings import due
from server.services.meetings import meetings as meeting_service

LATE_RATE = 0.04  # a check recorded after its due time
MISSING_RATE = 0.02  # a check never recorded
INCIDENT_RATE = 0.35  # meetings with an in-meeting incident
REGISTER_RATE = 0.9  # meetings whose usage register was filled in
RECORDING_RATE = 0.9  # registers with a recording kept
ROOM_CHECK_UNITS = 8  # the host room's pre-meeting round: the first unit of each kind
ACTIONS = {
    "lost_sound": "远程调整会场音频输入，恢复正常",
    "frozen_picture": "重新呼叫终端，图像恢复",
    "mosaic": "降低会场带宽后画面清晰",
    "dropped_out": "指导会场重新入会",
    "other": "现场指导调整设备",
}
CONFIRMERS = ("信息科值班员", "办公室工作人员", "会务负责人", "网络管理员")


@contextlib.contextmanager
def service_clock(now: datetime):
    """The meeting and fault services stamp `now` (revisions, the register's started check)."""
    saved = meeting_service.current_time
    meeting_service.current_time = lambda: now
    try:
        with office_clock(now):
            yield
    finally:
        meeting_service.current_time = saved


def _when(rng: random.Random, due_at: datetime, early: tuple[int, int]) -> datetime | None:
    """When a check due at `due_at` was recorded: mostly before it, some late, a few never."""
    roll = rng.random()
    if roll < MISSING_RATE:
        return None
    if roll < MISSING_RATE + LATE_RATE:
        return due_at + timedelta(minutes=rng.randint(3, 25))
    return due_at - timedelta(minutes=rng.randint(*early))


def _room_round(room_id: int) -> list[tuple[str, str]]:
    """The host room's pre-meeting round: its first unit of each kind, in tag order."""
    rows = db.session.execute(
        sa.select(Device.tag, DeviceType.kind)
        .join(DeviceType, DeviceType.id == Device.type_id)
        .where(Device.room_id == room_id, Device.status == "in_service")
        .order_by(Device.tag)
    )
    seen, chosen = set(), []
    for tag, kind in rows:
        if kind not in seen:
            seen.add(kind)
            chosen.append((tag, kind))
    return chosen[:ROOM_CHECK_UNITS]


def _before(year, rng, meeting: Meeting, phones: list) -> None:
    """Arrival, the checklist, the sites' switch-on and the speaking sites' joint tests."""
    host, lead = meeting.host_site, phones[0]
    arrival_due = due.prep_start(meeting)
    for phone in phones:
        at = _when(rng, arrival_due, (2, 15))
        if at is not None:
            data = {"meeting_id": meeting.id, "arrived_at": at.isoformat()}
            phone.record("meeting_arrival", at, data, host.region)
            year.counts["meeting_checks"] += 1
    if meeting.host_room_id is not None and rng.random() > MISSING_RATE:
        started = arrival_due + timedelta(minutes=rng.randint(3, 12))
        units = _room_round(meeting.host_room_id)
        field_work.visit(year, lead, host, "pre_meeting", started, units, None, meeting.id)
    switch_due = meeting.starts_at - due.SWITCH_ON_BEFORE
    for row in meeting.sites:
        at = _when(rng, switch_due, (1, 25))
        if at is not None:
            data = {
                "meeting_id": meeting.id,
                "site_id": row.site_id,
                "confirmed_by": rng.choice(CONFIRMERS),
                "confirmed_at": at.isoformat(),
                "note": None,
            }
            lead.record("meeting_site_confirmation", at, data, host.region)
            year.counts["meeting_checks"] += 1
    test_due = meeting.starts_at - due.JOINT_TEST_BEFORE
    for row in (r for r in meeting.sites if r.speaking):
        at = _when(rng, test_due, (1, 12))
        if at is not None:
            _joint_test(year, rng, lead, meeting, row.site_id, at)


def _joint_test(year, rng, phone, meeting: Meeting, site_id: int, at: datetime) -> None:
    base = {"meeting_id": meeting.id, "site_id": site_id, "note": None}
    results = {"sound": "pass", "picture": "pass", "pc_content": "pass"}
    if rng.random() < 0.1:  # a failed part, fixed and tested again minutes later
        part = rng.choice(tuple(results))
        failed = {**results, part: "fail"}
        note = "发言点位声音偏小，已调整增益" if part == "sound" else "信号源未切换，已指导切换"
        phone.record(
            "meeting_joint_test",
            at - timedelta(minutes=4),
            {**base, **failed, "note": note, "tested_at": (at - timedelta(minutes=4)).isoformat()},
            meeting.host_site.region,
        )
        year.counts["meeting_checks"] += 1
    data = {**base, **results, "tested_at": at.isoformat()}
    phone.record("meeting_joint_test", at, data, meeting.host_site.region)
    year.counts["meeting_checks"] += 1


def _fault_tag(site_id: int) -> str | None:
    units = field_work.live_devices(site_id)
    terminals = [tag for tag, kind in units if kind == "video_conference"]
    return (terminals or [tag for tag, _ in units] or [None])[0]


def _incident(year, rng, phone, meeting: Meeting, to_fault: bool) -> tuple | None:
    """An in-meeting incident at a participating site; raised as a fault when asked."""
    rows = [r for r in meeting.sites if r.site_id != meeting.host_site_id] or meeting.sites
    site_id = rng.choice(rows).site_id
    length = int((meeting.ends_at - meeting.starts_at).total_seconds() // 60)
    started = meeting.starts_at + timedelta(minutes=rng.randint(5, max(6, length - 10)))
    kind = rng.choices(tuple(ACTIONS), (3, 3, 2, 2, 1))[0]
    tag = _fault_tag(site_id) if to_fault else None
    data = {
        "meeting_id": meeting.id,
        "site_id": site_id,
        "kind": kind,
        "started_at": started.isoformat(),
        "duration_min": rng.randint(1, 12) if tag is None else rng.randint(15, 40),
        "action": ACTIONS[kind] if tag is None else "远程排查无效，转故障单处理",
        "to_fault": tag is not None,
        "tag": tag,
    }
    region = meeting.host_site.region
    uuid = phone.record("meeting_incident", started, data, region)
    year.counts["meeting_incidents"] += 1
    if tag is None:
        return None
    responded = started + timedelta(minutes=rng.randint(1, 6))
    resolved = responded + timedelta(minutes=rng.randint(25, 80))
    for step, at in (("responded", responded), ("resolved", resolved)):
        phone.record(
            "fault_step",
            at,
            {
                "fault_uuid": uuid,  # the fault takes the incident's uuid (docs/meetings.md)
                "step": step,
                "at": at.isoformat(),
                "note": None,
                "resolution": "更换终端电源模块后恢复" if step == "resolved" else None,
            },
            region,
        )
    year.counts["meeting_faults"] += 1
    return resolved, uuid


def _register(year, rng, phone, meeting: Meeting) -> None:
    ended = meeting.ends_at + timedelta(minutes=rng.randint(0, 15))
    filled = ended + timedelta(minutes=rng.randint(10, 40))
    minutes = int((ended - meeting.starts_at).total_seconds() // 60)
    day = periods.local_day(meeting.starts_at).strftime("%Y%m%d")
    recordings = []
    if rng.random() < RECORDING_RATE:
        recordings.append(
            {
                "server": "省局录播服务器",
                "file": f"{day}_{meeting.id:03d}_{meeting.title[:12]}.mp4",
                "duration_min": minutes,
                "retention_days": 365 if meeting.major_event else 180,
            }
        )
        year.counts["recordings"] += 1
    shutdown = {s: True for s in ("audio", "displays", "matrix", "power", "windows_lights")}
    if rng.random() < 0.05:
        shutdown["windows_lights"] = False
    data = {
        "meeting_id": meeting.id,
        "started_at": meeting.starts_at.isoformat(),
        "ended_at": ended.isoformat(),
        "operators": "、".join(e.user.display_name for e in meeting.engineers),
        "state_before": "设备运行正常",
        "state_after": "设备运行正常，已按顺序关机",
        "shutdown": shutdown,
        "recordings": recordings,
        "remarks": None,
        "signature_photo_id": None,
    }
    phone.record("usage_register", filled, data, meeting.host_site.region)
    year.counts["usage_registers"] += 1


def _send(year, phones, at: datetime) -> None:
    with service_clock(at):
        for phone in phones:
            phone.send(at)


def _close_fault(year, resolved: datetime, uuid: str) -> None:
    """The supervisor closes a fault raised from an incident the next morning."""
    fault = fault_service.fault_by_uuid(uuid)
    close = china(periods.local_day(resolved) + timedelta(days=1), 10, 0)
    with office_clock(close):
        fault_service.close_fault(fault, year.supervisor, at=close)


def work(year, rng: random.Random, meeting: Meeting, to_fault: bool) -> None:
    """Everything the engineers record for the meeting, sent as their phones would."""
    phones = [year.phones[e.user_id] for e in meeting.engineers if e.user_id in year.phones]
    _before(year, rng, meeting, phones)
    _send(year, phones, meeting.starts_at - timedelta(minutes=5))
    fault = None
    if to_fault or (meeting.sites and rng.random() < INCIDENT_RATE):
        fault = _incident(year, rng, phones[0], meeting, to_fault)
    if rng.random() < REGISTER_RATE:
        _register(year, rng, phones[0], meeting)
    _send(year, phones, meeting.ends_at + timedelta(minutes=rng.randint(45, 90)))
    if fault is not None:
        _close_fault(year, *fault)
