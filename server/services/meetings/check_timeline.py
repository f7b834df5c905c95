"""The timeline's events of the pre-meeting records: each arrival, site confirmation (who at
the site confirmed) and joint test (its results) as pushed, and each pre-meeting visit of the
meeting, with the phone's and the server's clocks (docs/meetings.md, Timeline)."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, MeetingCheck, Site, Visit
from server.services.meetings import timeline


def check_events(meeting: Meeting) -> list[dict]:
    """`arrival`, `site_confirmation`, `joint_test`: one event per record, at its own instant."""
    rows = db.session.execute(
        sa.select(MeetingCheck, Site.name)
        .outerjoin(Site, Site.id == MeetingCheck.site_id)
        .where(MeetingCheck.meeting_id == meeting.id)
        .order_by(MeetingCheck.at, MeetingCheck.id)
    )
    out = []
    for record, site_name in rows:
        details = {"site_id": record.site_id, "site_name": site_name, "note": record.note}
        if record.kind == "site_confirmation":
            details["confirmed_by"] = record.confirmed_by
        elif record.kind == "joint_test":
            details |= {k: getattr(record, k) for k in ("sound", "picture", "pc_content")}
        out.append(_event(record.kind, record.at, record, **details))
    return out


def visit_events(meeting: Meeting) -> list[dict]:
    """`pre_meeting_visit`: a visit of the meeting (at its start; `finished_at`, site)."""
    rows = db.session.execute(
        sa.select(Visit, Site.name)
        .join(Site, Site.id == Visit.site_id)
        .where(Visit.meeting_id == meeting.id)
        .order_by(Visit.started_at, Visit.id)
    )
    return [
        _event(
            "pre_meeting_visit",
            visit.started_at,
            visit,
            site_id=visit.site_id,
            site_name=site_name,
            finished_at=visit.finished_at,
            inspections=len(visit.inspections),
        )
        for visit, site_name in rows
    ]


def _event(kind, at, record, **details) -> dict:
    return timeline.event(
        kind,
        at,
        user_id=record.user_id,
        recorded_at=record.client_time,
        received_at=record.server_time,
        record_id=record.id,
        flags=getattr(record, "flags", None),
        **details,
    )
