"""Reading meetings: the list by period, engineer or site, and the shape of one meeting."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import Meeting, MeetingEngineer, MeetingSite, Site, User
from server.periods import Span, iso
from server.services.meetings import conflicts, due

_LOAD = (
    selectinload(Meeting.host_site),
    selectinload(Meeting.host_room),
    selectinload(Meeting.sites).selectinload(MeetingSite.site).selectinload(Site.region),
    selectinload(Meeting.engineers).selectinload(MeetingEngineer.user),
)


def list_meetings(
    start: datetime,
    end: datetime,
    engineer_id: int | None = None,
    site_code: str | None = None,
    state: str | None = None,
    kind: str | None = None,
) -> list[Meeting]:
    """Meetings starting in [start, end), by start; a site matches as host or participant."""
    query = (
        sa.select(Meeting)
        .where(Meeting.starts_at >= start, Meeting.starts_at < end)
        .options(*_LOAD)
        .order_by(Meeting.starts_at, Meeting.id)
    )
    if engineer_id is not None:
        query = query.where(
            Meeting.id.in_(
                sa.select(MeetingEngineer.meeting_id).where(MeetingEngineer.user_id == engineer_id)
            )
        )
    if site_code:
        site_id = sa.select(Site.id).where(Site.code == site_code).scalar_subquery()
        taking_part = sa.select(MeetingSite.meeting_id).where(MeetingSite.site_id == site_id)
        query = query.where(sa.or_(Meeting.host_site_id == site_id, Meeting.id.in_(taking_part)))
    if state:
        query = query.where(Meeting.state == state)
    if kind:
        query = query.where(Meeting.kind == kind)
    return list(db.session.scalars(query))


def in_span(span: Span, **filters) -> list[Meeting]:
    return list_meetings(span.start, span.end, **filters)


def active_engineers() -> list[dict]:
    """Who a meeting may be assigned to (the rule of inputs.engineers), by name."""
    users = db.session.scalars(
        sa.select(User).where(User.role == "engineer", User.active.is_(True)).order_by(User.id)
    )
    return [{"id": u.id, "name": u.display_name or u.username} for u in users]


def assigned(meeting: Meeting, user_id: int) -> bool:
    return any(me.user_id == user_id for me in meeting.engineers)


def summary(meeting: Meeting) -> dict:
    """A meeting without its checks: the list's row."""
    room = meeting.host_room
    return {
        "id": meeting.id,
        "title": meeting.title,
        "kind": meeting.kind,
        "platform": meeting.platform,
        "host_site_id": meeting.host_site_id,
        "host_site_code": meeting.host_site.code,
        "host_site_name": meeting.host_site.name,
        "host_room_id": meeting.host_room_id,
        "host_room_name": room.name if room else None,
        "starts_at": iso(meeting.starts_at),
        "ends_at": iso(meeting.ends_at),
        "major_event": meeting.major_event,
        "state": meeting.state,
        "notes": meeting.notes,
        "version": meeting.version,
        "site_count": len(meeting.sites),
        "engineers": [{"id": me.user_id, "name": me.user.display_name} for me in meeting.engineers],
    }


def detail(meeting: Meeting, now: datetime) -> dict:
    """One meeting with its sites, due checks and warnings."""
    return {
        **summary(meeting),
        "sites": [
            {
                "id": ms.site_id,  # records name the site by id
                "code": ms.site.code,
                "name": ms.site.name,
                "prefecture": ms.site.prefecture_code,
                "speaking": ms.speaking,
            }
            for ms in meeting.sites
        ],
        "due_checks": due.due_checks(meeting, now),
        "warnings": conflicts.warnings(meeting),
    }


def history(meeting: Meeting) -> list[dict]:
    return [
        {
            "version": r.version,
            "action": r.action,
            "user_id": r.user_id,
            "user_name": r.user.display_name if r.user else None,
            "changed_at": iso(r.changed_at),
            "changes": r.changes,
        }
        for r in meeting.revisions
    ]
