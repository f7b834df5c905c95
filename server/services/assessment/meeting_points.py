"""What the meeting records show the assessment: each guarantee meeting of the period with its
checks (on time, late, missing), incidents and usage register on the major-events line, and each
in-meeting incident on the emergency line; links to the meeting, its timeline, its register and
any fault raised from an incident.

Points: rules.MAJOR_EVENT_LAPSE_POINTS per late or missing check (0: the contract deducts only
for a bad effect or a security incident, which people judge; docs/assessment.md). An incident
costs nothing here: raised as a fault, the fault's own clocks are scored (late_response).
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server import periods
from server.extensions import db
from server.models import Meeting, MeetingEngineer, MeetingIncident, MeetingSite, UsageRegister
from server.services.assessment import rules
from server.services.assessment.records import Finding, link
from server.services.meetings import due

GUARANTEE_KINDS = ("major",)  # with the major-event flag: the meetings the line is about
CHECK_TIMINGS = ("on_time", "late", "missing", "due")  # a check as the line shows it


def meeting_link(meeting: Meeting) -> dict:
    return link(
        "meeting",
        f"会议 #{meeting.id} {meeting.title}",
        f"/meetings?meeting={meeting.id}",
        meeting.id,
    )


def timeline_link(meeting: Meeting) -> dict:
    url = f"/api/v1/meetings/{meeting.id}/timeline"
    return link("meeting_timeline", f"会议 #{meeting.id} 时间线", url, meeting.id)


def register_link(meeting: Meeting, register: UsageRegister) -> dict:
    url = f"/api/v1/meetings/{meeting.id}/register.pdf"
    return link("usage_register", f"使用登记表（会议 #{meeting.id}）", url, register.id)


def _fault_link(fault_id: int) -> dict:
    return link("fault", f"故障 #{fault_id}", f"/faults?fault={fault_id}", fault_id)


def timing(check: dict, now: datetime) -> str:
    """on_time / late (done after its due time) / missing (not done, due time over) / due."""
    due_at = datetime.fromisoformat(check["due_at"])
    if check["state"] == "done":
        return "on_time" if datetime.fromisoformat(check["done_at"]) <= due_at else "late"
    return "missing" if now >= due_at else "due"


def guarantee_meetings(start: datetime, end: datetime) -> list[Meeting]:
    """Scheduled meetings starting in [start, end) flagged major event or of a major kind."""
    query = (
        sa.select(Meeting)
        .where(
            Meeting.state == "scheduled",
            Meeting.starts_at >= start,
            Meeting.starts_at < end,
            sa.or_(Meeting.major_event.is_(True), Meeting.kind.in_(GUARANTEE_KINDS)),
        )
        .options(
            selectinload(Meeting.sites).selectinload(MeetingSite.site),
            selectinload(Meeting.engineers).selectinload(MeetingEngineer.user),
        )
        .order_by(Meeting.starts_at, Meeting.id)
    )
    return list(db.session.scalars(query))


def _incident_dict(incident: MeetingIncident) -> dict:
    return {
        "id": incident.id,
        "kind": incident.kind,
        "site": incident.site.name,
        "started_at": incident.started_at.isoformat(),
        "duration_min": incident.duration_min,
        "fault_id": incident.fault_id,
    }


def _registers(meeting_ids: list[int]) -> dict[int, UsageRegister]:
    """Each meeting's current register (the one made last on the phone, then by id)."""
    rows = db.session.scalars(
        sa.select(UsageRegister)
        .where(UsageRegister.meeting_id.in_(meeting_ids))
        .order_by(UsageRegister.client_time, UsageRegister.id)
    )
    return {r.meeting_id: r for r in rows}  # the last one of each meeting wins


def _incidents(meeting_ids: list[int]) -> dict[int, list[MeetingIncident]]:
    rows = db.session.scalars(
        sa.select(MeetingIncident)
        .where(MeetingIncident.meeting_id.in_(meeting_ids))
        .options(selectinload(MeetingIncident.site))
        .order_by(MeetingIncident.started_at, MeetingIncident.id)
    )
    found: dict[int, list[MeetingIncident]] = {}
    for row in rows:
        found.setdefault(row.meeting_id, []).append(row)
    return found


def _guarantee_finding(meeting, checks, incidents, register, now) -> Finding:
    tally = {name: 0 for name in CHECK_TIMINGS}
    lapses = []
    for check in checks:
        when = timing(check, now)
        tally[when] += 1
        if when in ("late", "missing"):
            lapses.append({"kind": check["kind"], "subject": check["subject"], "timing": when})
    recordings = len(register.recordings or []) if register else 0
    links = [meeting_link(meeting), timeline_link(meeting)]
    links += [register_link(meeting, register)] if register else []
    links += [_fault_link(i.fault_id) for i in incidents if i.fault_id]
    day = periods.local_day(meeting.starts_at)
    what = (
        f"'{meeting.title}' on {day}: {tally['on_time']} checks on time, {tally['late']} late, "
        f"{tally['missing']} missing; {len(incidents)} incidents; "
        + (f"register with {recordings} recordings" if register else "no usage register")
    )
    zh = (
        f"{day}「{meeting.title}」：会前检查按时 {tally['on_time']} 项、逾期 {tally['late']} 项、"
        f"未做 {tally['missing']} 项；会中故障 {len(incidents)} 次；"
        + (f"使用登记已填，录像 {recordings} 个" if register else "未填使用登记")
    )
    detail = {
        "meeting_id": meeting.id,
        "title": meeting.title,
        "meeting_kind": meeting.kind,
        "major_event": meeting.major_event,
        "starts_at": meeting.starts_at.isoformat(),
        "sites": len(meeting.sites),
        "checks": tally,
        "lapses": lapses,
        "incidents": [_incident_dict(i) for i in incidents],
        "register": {"id": register.id, "recordings": recordings} if register else None,
    }
    points = rules.MAJOR_EVENT_LAPSE_POINTS * len(lapses)
    return Finding("av", "major_events", "guarantee_meeting", points, day, what, links, detail, zh)


def guarantee_findings(start: datetime, end: datetime, now: datetime) -> list[Finding]:
    """One finding per guarantee meeting of [start, end) that has begun by `now`."""
    meetings = [m for m in guarantee_meetings(start, end) if m.starts_at <= now]
    ids = [m.id for m in meetings]
    registers, incidents = _registers(ids), _incidents(ids)
    return [
        _guarantee_finding(
            m, due.due_checks(m, now), incidents.get(m.id, []), registers.get(m.id), now
        )
        for m in meetings
    ]


def incident_findings(start: datetime, end: datetime) -> list[Finding]:
    """Every in-meeting incident that began in [start, end), on the emergency line (0 points)."""
    rows = db.session.scalars(
        sa.select(MeetingIncident)
        .join(Meeting, Meeting.id == MeetingIncident.meeting_id)
        .where(MeetingIncident.started_at >= start, MeetingIncident.started_at < end)
        .options(selectinload(MeetingIncident.site), selectinload(MeetingIncident.meeting))
        .order_by(MeetingIncident.started_at, MeetingIncident.id)
    )
    found = []
    for incident in rows:
        meeting = incident.meeting
        links = [meeting_link(meeting), timeline_link(meeting)]
        links += [_fault_link(incident.fault_id)] if incident.fault_id else []
        minutes = incident.duration_min
        what = f"'{meeting.title}': {incident.kind} at {incident.site.name}, {minutes} min"
        zh = f"「{meeting.title}」{incident.site.name} 会中故障，持续 {minutes} 分钟"
        zh += f"，已转故障单 #{incident.fault_id}" if incident.fault_id else ""
        detail = {**_incident_dict(incident), "meeting_id": meeting.id, "title": meeting.title}
        day = periods.local_day(incident.started_at)
        found.append(
            Finding("av", "emergency", "meeting_incident", 0, day, what, links, detail, zh)
        )
    return found
