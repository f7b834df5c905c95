"""A hand-built December 2025 of meetings, rows written directly (no API), so the reports and the
handover package can be checked against numbers counted by hand (see EXPECTED).

- A, 全省医保视频调度会 (provincial video, 12-10 09:00-11:00 China time, host room, three sites,
  520100 speaking, two engineers). Due checks (7): arrival x2 (08:00), switch_on x3 (08:30),
  the host room's checklist (08:30), the joint test of 520100 (08:45). Records: engineer one
  arrives 07:50 (on time), engineer two 08:10 (late); 520100 confirmed 08:20 (on time), 520200
  08:40 (late), 520300 never (missed); the checklist never (missed); the joint test 08:40
  (on time). Two incidents, the second turned into fault; one usage register with a recording.
- B, 钉钉专题会 (software on DingTalk, major event, 12-18 14:00-15:00, no room, one site, one
  engineer; the flag, not the kind, so arrival is 1 h before): nothing recorded, so arrival and
  switch_on are missed and its
  register is missing.
- C, 取消的会议 (cancelled, its revision says why): owes nothing, no register expected.
- D, 十一月的会 (November): not in the December report.
"""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta

from server.extensions import db
from server.models import (
    Meeting,
    MeetingCheck,
    MeetingEngineer,
    MeetingIncident,
    MeetingRevision,
    MeetingSite,
    UsageRegister,
)
from server.services.faults import lifecycle as faults

A_START = datetime(2025, 12, 10, 1, 0, tzinfo=UTC)  # 09:00 China time
B_START = datetime(2025, 12, 18, 6, 0, tzinfo=UTC)  # 14:00 China time
NOW = datetime(2026, 1, 5, 2, 0, tzinfo=UTC)
EXPECTED = {
    "meetings": 3,
    "major": 1,
    "cancelled": 1,
    "checks": {"total": 9, "on_time": 3, "done_late": 2, "missed": 4, "pending": 0},
    "incidents": 2,
    "faults": 1,
    "registers_filled": 1,
    "registers_missing": 1,
    "recordings": 1,
}


def meeting_row(title, kind, host, start, hours, sites, engineers, **over) -> Meeting:
    meeting = Meeting(
        title=title,
        kind=kind,
        host_site_id=host.id,
        starts_at=start,
        ends_at=start + timedelta(hours=hours),
        **over,
    )
    meeting.sites = [MeetingSite(site_id=s.id, speaking=speaks) for s, speaks in sites]
    meeting.engineers = [MeetingEngineer(user_id=u.id) for u in engineers]
    db.session.add(meeting)
    db.session.flush()
    return meeting


def _evidence(user, at) -> dict:
    return {
        "uuid": str(uuidlib.uuid4()),
        "user_id": user.id,
        "client_time": at,
        "server_time": at + timedelta(minutes=5),
        "content_hash": "0" * 64,
    }


def _check(meeting, kind, user, at, site=None, **over) -> None:
    db.session.add(
        MeetingCheck(
            **_evidence(user, at),
            kind=kind,
            meeting_id=meeting.id,
            site_id=site.id if site else None,
            at=at,
            **over,
        )
    )


def build(reference_data, factory, signature: str | None = None) -> dict:
    """The month above; `signature` is the hash of a photo the test stored (A's register)."""
    sites = reference_data["sites"]
    host, s1, s2, s3 = (sites[c] for c in ("520000", "520100", "520200", "520300"))
    room = reference_data["rooms"][("520000", "main_conference")]
    one, two = factory.user("engineer"), factory.user("engineer")
    unit = factory.device(room=reference_data["rooms"][("520200", "main_conference")])
    a = meeting_row(
        "全省医保视频调度会",
        "provincial_video",
        host,
        A_START,
        2,
        [(s1, True), (s2, False), (s3, False)],
        [one, two],
        host_room_id=room.id,
    )
    minute = timedelta(minutes=1)
    _check(a, "arrival", one, A_START - 70 * minute)
    _check(a, "arrival", two, A_START - 50 * minute)
    _check(a, "site_confirmation", one, A_START - 40 * minute, s1, confirmed_by="王主任")
    _check(a, "site_confirmation", one, A_START - 20 * minute, s2)
    _check(a, "joint_test", one, A_START - 20 * minute, s1, sound="pass", picture="pass",
           pc_content="pass")  # fmt: skip
    fault = faults.create_fault(
        tag=unit.tag,
        description="会场掉线",
        user=one,
        reported_at=A_START + 30 * minute,
        urgent_meeting=True,
    )
    db.session.add_all(
        [
            MeetingIncident(
                **_evidence(one, A_START + 20 * minute),
                meeting_id=a.id,
                site_id=s1.id,
                kind="lost_sound",
                started_at=A_START + 20 * minute,
                duration_min=3,
                action="重启音频处理器",
            ),
            MeetingIncident(
                **_evidence(one, A_START + 30 * minute),
                meeting_id=a.id,
                site_id=s2.id,
                kind="dropped_out",
                started_at=A_START + 30 * minute,
                duration_min=12,
                action="更换终端",
                to_fault=True,
                tag=unit.tag,
                fault_id=fault.id,
            ),
            UsageRegister(
                **_evidence(one, A_START + 130 * minute),
                meeting_id=a.id,
                started_at=A_START,
                ended_at=A_START + 125 * minute,
                operators="张工",
                state_before="设备正常",
                state_after="设备正常，已关机",
                shutdown={"audio": True, "displays": True, "matrix": True, "power": True},
                recordings=[
                    {
                        "server": "录播服务器一",
                        "file": "REC-20251210-0900",
                        "duration_min": 125,
                        "retention_days": 180,
                    }
                ],  # fmt: skip
                remarks="会议顺利",
                signature_photo_id=signature,
            ),
        ]
    )
    b = meeting_row(
        "钉钉专题会", "software", host, B_START, 1, [(s1, False)], [one],
        platform="dingtalk", major_event=True,
    )  # fmt: skip
    c = meeting_row(
        "取消的会议", "other_av", host, B_START + timedelta(days=2), 1, [(s2, False)], [two],
        state="cancelled",
    )  # fmt: skip
    db.session.add(
        MeetingRevision(
            meeting_id=c.id,
            version=2,
            user_id=two.id,
            changed_at=B_START,
            action="cancelled",
            changes={"state": {"old": "scheduled", "new": "cancelled"},
                     "reason": {"old": None, "new": "领导出差"}},
        )
    )  # fmt: skip
    c.version = 2
    d = meeting_row(
        "十一月的会", "provincial_video", host, A_START - timedelta(days=30), 1, [], [one]
    )
    db.session.commit()
    return {"a": a, "b": b, "c": c, "d": d, "fault": fault, "engineers": (one, two)}
