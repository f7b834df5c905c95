"""Hand-built March 2025 meetings for the assessment's major-events and emergency lines: made
through the meetings service, their records pushed through the sync engine as a phone sends
them. test_assessment_meetings.py works the lines out by hand from what is built here.

M1 (major-event flag) 6 March 09:00-10:00 at the province bureau's main room, sites 520100
(speaking), 520200, 520300, engineer E. Due: arrival 08:00, switch-on x3 and the checklist
08:30, the joint test of 520100 08:45. Recorded: arrival 07:50 (on time), 520100 on 08:20 (on
time), 520200 on 08:40 (late), 520300 never (missing), no checklist visit (missing), joint test
08:40 (on time): 3 on time, 1 late, 2 missing. An incident at 520200 at 09:20 raised as a fault
(answered 5 min later, resolved 30 min after: no fault points); a register with one recording.
M2 (kind major, no flag) 20 March 14:00-16:00, site 520100, engineer E: arrival due 10:00 (4 h),
switch-on and checklist 13:30; nothing recorded: 3 missing, no register.
M3 (provincial video, not a guarantee) 12 March: one incident at 520100, no fault.
M4 (major-event flag) 25 March, cancelled: not on the line. M5 (flag) 8 April: outside March.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import timedelta

from server.extensions import db
from server.services.meetings import meetings as meeting_service
from server.services.sync import engine as sync
from tests.server.frozen import cst

PROVINCE = "520000"


def _meeting(supervisor, engineer, room, title, kind, start, hours, sites, speaking, flag):
    values = {
        "title": title,
        "kind": kind,
        "platform": None,
        "host_site_code": PROVINCE,
        "host_room_id": room.id,
        "site_scope": "list",
        "site_codes": sites,
        "speaking_codes": speaking,
        "engineer_ids": [engineer.id],
        "starts_at": start,
        "ends_at": start + timedelta(hours=hours),
        "major_event": flag,
        "notes": None,
    }
    return meeting_service.create(values, supervisor)


def _record(rtype: str, at, data: dict, uuid: str | None = None) -> dict:
    return {
        "uuid": uuid or str(uuidlib.uuid4()),
        "type": rtype,
        "client_time": at.isoformat(),
        "app_version": "test",
        "position": None,
        "data": data,
    }


def _push(user, records: list[dict], at) -> None:
    answer = sync.push(user, records, sent_at=at, now=at)
    refused = [r for r in answer["results"] if r["status"] != "created"]
    assert not refused, refused


def build(sites, supervisor, engineer, room, unit_520200, monkeypatch) -> dict:
    """The five meetings above and their records; returns the meetings and the fault id."""
    s = {code: sites[code] for code in ("520100", "520200", "520300")}
    m1 = _meeting(
        supervisor,
        engineer,
        room,
        "两会期间全省视频调度会",
        "provincial_video",
        cst(2025, 3, 6, 9, 0),
        1,
        list(s),
        ["520100"],
        True,
    )
    m2 = _meeting(
        supervisor,
        engineer,
        room,
        "全省医疗保障工作会议",
        "major",
        cst(2025, 3, 20, 14, 0),
        2,
        ["520100"],
        [],
        False,
    )
    m3 = _meeting(
        supervisor,
        engineer,
        room,
        "全省医保基金监管视频会",
        "provincial_video",
        cst(2025, 3, 12, 9, 30),
        2,
        ["520100"],
        [],
        False,
    )
    m4 = _meeting(
        supervisor,
        engineer,
        room,
        "取消的保障会议",
        "major",
        cst(2025, 3, 25, 9, 0),
        1,
        ["520100"],
        [],
        True,
    )
    meeting_service.cancel(m4, supervisor, "改期")
    m5 = _meeting(
        supervisor,
        engineer,
        room,
        "清明节前安全视频会",
        "provincial_video",
        cst(2025, 4, 8, 9, 0),
        1,
        ["520100"],
        [],
        True,
    )
    db.session.flush()
    incident_uuid = str(uuidlib.uuid4())
    records = [
        _record(
            "meeting_arrival",
            cst(2025, 3, 6, 7, 50),
            {"meeting_id": m1.id, "arrived_at": cst(2025, 3, 6, 7, 50).isoformat()},
        ),
    ]
    for code, hour, minute in (("520100", 8, 20), ("520200", 8, 40)):
        at = cst(2025, 3, 6, hour, minute)
        data = {
            "meeting_id": m1.id,
            "site_id": s[code].id,
            "confirmed_by": "值班员",
            "confirmed_at": at.isoformat(),
            "note": None,
        }
        records.append(_record("meeting_site_confirmation", at, data))
    at = cst(2025, 3, 6, 8, 40)
    test = {
        "meeting_id": m1.id,
        "site_id": s["520100"].id,
        "sound": "pass",
        "picture": "pass",
        "pc_content": "pass",
        "note": None,
        "tested_at": at.isoformat(),
    }
    records.append(_record("meeting_joint_test", at, test))
    _push(engineer, records, cst(2025, 3, 6, 8, 50))
    at = cst(2025, 3, 6, 9, 20)
    incident = {
        "meeting_id": m1.id,
        "site_id": s["520200"].id,
        "kind": "lost_sound",
        "started_at": at.isoformat(),
        "duration_min": 25,
        "action": "转故障单",
        "to_fault": True,
        "tag": unit_520200.tag,
    }
    steps = []
    for step, when in (
        ("responded", at + timedelta(minutes=5)),
        ("resolved", at + timedelta(minutes=35)),
    ):
        steps.append(
            _record(
                "fault_step",
                when,
                {
                    "fault_uuid": incident_uuid,
                    "step": step,
                    "at": when.isoformat(),
                    "note": None,
                    "resolution": "更换电源" if step == "resolved" else None,
                },
            )
        )
    register = {
        "meeting_id": m1.id,
        "started_at": m1.starts_at.isoformat(),
        "ended_at": m1.ends_at.isoformat(),
        "operators": "工程师",
        "recordings": [
            {
                "server": "录播服务器",
                "file": "20250306.mp4",
                "duration_min": 60,
                "retention_days": 365,
            }
        ],
    }
    after = cst(2025, 3, 6, 10, 30)
    # the register is refused before its meeting starts: the meetings' clock is after it
    monkeypatch.setattr(meeting_service, "current_time", lambda: after)
    _push(
        engineer,
        [
            _record("meeting_incident", at, incident, incident_uuid),
            *steps,
            _record("usage_register", after, register),
        ],
        after,
    )
    at = cst(2025, 3, 12, 10, 0)
    other = {
        "meeting_id": m3.id,
        "site_id": s["520100"].id,
        "kind": "mosaic",
        "started_at": at.isoformat(),
        "duration_min": 4,
        "action": "降低带宽",
        "to_fault": False,
    }
    _push(engineer, [_record("meeting_incident", at, other)], at + timedelta(hours=1))
    db.session.flush()
    return {"m1": m1, "m2": m2, "m3": m3, "m4": m4, "m5": m5, "incident_uuid": incident_uuid}
