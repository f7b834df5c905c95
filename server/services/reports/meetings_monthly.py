"""会议保障月报: the month's meetings (kind, host, sites, engineers), their due checks done on
time or late, the incidents and the faults opened from them, registers filled or missing, and
the recordings kept."""

from __future__ import annotations

from datetime import datetime

from server import periods
from server.models import Meeting
from server.services.meetings import due, incidents, meetings, queries, register
from server.services.reports import common, meeting_register

TITLE = "会议保障月报"
KIND = "meetings_monthly"
REGISTER_ZH = {
    "filled": "已填写",
    "missing": "未填写",
    "not_yet": "会议未结束",
    "cancelled": "会议已取消",
}


def instant(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text.replace("Z", "+00:00")) if text else None


def check_counts(checks: list[dict]) -> dict:
    """A meeting's due checks: done by their due time, done after it, overdue and not done,
    not yet due."""
    counts = {"total": len(checks), "on_time": 0, "done_late": 0, "missed": 0, "pending": 0}
    for check in checks:
        if check["state"] == "done":
            late = instant(check["done_at"]) > instant(check["due_at"])
            counts["done_late" if late else "on_time"] += 1
        else:
            counts["missed" if check["state"] == "late" else "pending"] += 1
    return counts


def register_state(meeting: Meeting, filled: bool, now: datetime) -> str:
    if meeting.state == "cancelled":
        return "cancelled"
    if filled:
        return "filled"
    return "missing" if now >= meeting.ends_at else "not_yet"


def _late_checks(meeting: Meeting, checks: list[dict]) -> list[dict]:
    """The checks not done by their due time (done late, or overdue and not done)."""
    rows = []
    for check in checks:
        done_at = instant(check["done_at"])
        if check["state"] == "late" or (done_at and done_at > instant(check["due_at"])):
            rows.append(
                {
                    "meeting": meeting.title,
                    "kind": meeting_register.CHECK_ZH.get(check["kind"], check["kind"]),
                    "subject": check["subject"],
                    "due_at": instant(check["due_at"]),
                    "done_at": done_at,
                }
            )
    return rows


def _meeting_row(meeting: Meeting, now: datetime) -> dict:
    checks = due.due_checks(meeting, now)
    found = incidents.of_meeting(meeting)
    current = register.current(meeting)
    recordings = (current.recordings or []) if current else []
    state = register_state(meeting, current is not None, now)
    kind = meeting_register.KIND_ZH.get(meeting.kind, meeting.kind)
    if meeting.platform:
        kind += f"（{meeting_register.PLATFORM_ZH.get(meeting.platform, meeting.platform)}）"
    return {
        "id": meeting.id,
        "title": meeting.title,
        "kind_zh": kind,
        "major_event": meeting.major_event,
        "state": meeting.state,
        "state_zh": meeting_register.STATE_ZH.get(meeting.state, meeting.state),
        "host": meeting.host_site.name,
        "room": meeting.host_room.name if meeting.host_room else None,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "sites": len(meeting.sites),
        "speaking": sum(1 for ms in meeting.sites if ms.speaking),
        "engineers": [me.user.display_name or me.user.username for me in meeting.engineers],
        "checks": check_counts(checks),
        "late_checks": _late_checks(meeting, checks),
        "incidents": [
            {
                "meeting": meeting.title,
                "started_at": i.started_at,
                "site": i.site.name,
                "kind": incidents.KIND_ZH.get(i.kind, i.kind),
                "duration_min": i.duration_min,
                "action": i.action,
                "fault_id": i.fault_id,
            }
            for i in found
        ],
        "faults": [i.fault_id for i in found if i.fault_id],
        "register": state,
        "register_zh": REGISTER_ZH[state],
        "recordings": [{"meeting": meeting.title, **r} for r in recordings],
    }


def _totals(rows: list[dict]) -> dict:
    checks = {key: sum(r["checks"][key] for r in rows) for key in check_counts([])}
    return {
        "meetings": len(rows),
        "major": sum(1 for r in rows if r["major_event"]),
        "cancelled": sum(1 for r in rows if r["state"] == "cancelled"),
        "checks": checks,
        "incidents": sum(len(r["incidents"]) for r in rows),
        "faults": sum(len(r["faults"]) for r in rows),
        "registers_filled": sum(1 for r in rows if r["register"] == "filled"),
        "registers_missing": sum(1 for r in rows if r["register"] == "missing"),
        "recordings": sum(len(r["recordings"]) for r in rows),
    }


def _by_kind(rows: list[dict]) -> list[dict]:
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["kind_zh"]] = counts.get(row["kind_zh"], 0) + 1
    return [{"kind": kind, "count": count} for kind, count in counts.items()]


def context(span: periods.Span) -> dict:
    """Every meeting starting in the month (cancelled ones too, marked), in start order."""
    now = meetings.current_time()
    rows = [_meeting_row(m, now) for m in queries.in_span(span)]
    return {
        **common.header(TITLE, span),
        "generated_at": now,
        "meetings": rows,
        "totals": _totals(rows),
        "by_kind": _by_kind(rows),
        "late_checks": [c for r in rows for c in r["late_checks"]],
        "incidents": [i for r in rows for i in r["incidents"]],
        "recordings": [rec for r in rows for rec in r["recordings"]],
        "missing_registers": [r for r in rows if r["register"] == "missing"],
        "empty": not rows,
    }
