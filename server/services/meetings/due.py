"""The checks a meeting owes before it starts, computed from the meeting (never stored).

Each check has a key (kind:subject id), a due instant and a state: `due` until that instant,
`late` after it, `done` once a record says so. Records mark checks done through DONE_SOURCES:
a function (meeting) -> {key: {"done_at": datetime, "by_user_id": int | None}}; later record
types (arrival, site confirmation, joint test) add theirs with register_done_source(), called
from server/hooks.py like every other hook.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, Visit
from server.periods import iso

# The contract (clause 4): arrive one hour before, half a day for a major meeting; every site
# switches its equipment on 30 minutes before. The contract gives no time for the host room's
# checklist or the joint tests: the checklist is owed with the switch-on, the joint test of the
# speaking sites after it (project choices, docs/meetings.md).
ARRIVAL_BEFORE = timedelta(hours=1)
MAJOR_ARRIVAL_BEFORE = timedelta(hours=4)
SWITCH_ON_BEFORE = timedelta(minutes=30)
CHECKLIST_BEFORE = timedelta(minutes=30)
JOINT_TEST_BEFORE = timedelta(minutes=15)
CHECK_KINDS = ("arrival", "switch_on", "checklist", "joint_test")

DoneSource = Callable[[Meeting], dict[str, dict]]
DONE_SOURCES: list[DoneSource] = []


def register_done_source(source: DoneSource) -> DoneSource:
    """Add a source of done checks (idempotent)."""
    if source not in DONE_SOURCES:
        DONE_SOURCES.append(source)
    return source


def arrival_lead(meeting: Meeting) -> timedelta:
    return MAJOR_ARRIVAL_BEFORE if meeting.kind == "major" else ARRIVAL_BEFORE


def prep_start(meeting: Meeting) -> datetime:
    """When the engineers' work on it begins: their arrival."""
    return meeting.starts_at - arrival_lead(meeting)


def _planned(meeting: Meeting) -> list[dict]:
    start = meeting.starts_at
    checks = [
        _check("arrival", me.user_id, me.user.display_name, prep_start(meeting))
        for me in meeting.engineers
    ]
    checks += [
        _check("switch_on", ms.site_id, ms.site.name, start - SWITCH_ON_BEFORE)
        for ms in meeting.sites
    ]
    if meeting.host_room is not None:
        room = meeting.host_room
        checks.append(_check("checklist", room.id, room.name, start - CHECKLIST_BEFORE))
    checks += [
        _check("joint_test", ms.site_id, ms.site.name, start - JOINT_TEST_BEFORE)
        for ms in meeting.sites
        if ms.speaking
    ]
    return checks


def _check(kind: str, subject_id: int, label: str, due_at: datetime) -> dict:
    return {
        "key": f"{kind}:{subject_id}",
        "kind": kind,
        "subject_id": subject_id,
        "subject": label,
        "due_at": due_at,
    }


def due_checks(meeting: Meeting, now: datetime) -> list[dict]:
    """The meeting's checks in due order, with their state at `now` (none if cancelled)."""
    if meeting.state == "cancelled":
        return []
    done: dict[str, dict] = {}
    for source in DONE_SOURCES:
        done.update(source(meeting))
    out = []
    for check in sorted(_planned(meeting), key=lambda c: (c["due_at"], c["key"])):
        mark = done.get(check["key"])
        state = "done" if mark else ("late" if now >= check["due_at"] else "due")
        out.append(
            {
                **check,
                "due_at": iso(check["due_at"]),
                "state": state,
                "done_at": iso(mark["done_at"]) if mark else None,
                "done_by_user_id": mark.get("by_user_id") if mark else None,
                # what the record found, where the kind has one (a joint test's pass/fail)
                "result": mark.get("result") if mark else None,
            }
        )
    return out


def checklist_from_visits(meeting: Meeting) -> dict[str, dict]:
    """The host room's checklist is done by a finished pre-meeting visit of the meeting."""
    if meeting.host_room_id is None or meeting.id is None:
        return {}
    visit = db.session.scalar(
        sa.select(Visit)
        .where(
            Visit.meeting_id == meeting.id,
            Visit.inspection_kind == "pre_meeting",
            Visit.site_id == meeting.host_site_id,
            Visit.finished_at.is_not(None),
        )
        .order_by(Visit.finished_at)
        .limit(1)
    )
    if visit is None:
        return {}
    mark = {"done_at": visit.finished_at, "by_user_id": visit.user_id}
    return {f"checklist:{meeting.host_room_id}": mark}
