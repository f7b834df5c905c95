"""Report notes: the recommendations a supervisor or engineer types into one report and period."""

from __future__ import annotations

import sqlalchemy as sa

from server.extensions import db
from server.models import ReportNote, User

MAX_TEXT = 4000  # like other free texts: a fuzzed escaped maximum stays under the body limit


def get_note(kind: str, period: str) -> ReportNote | None:
    return db.session.scalar(
        sa.select(ReportNote).where(ReportNote.kind == kind, ReportNote.period == period)
    )


def text_of(kind: str, period: str) -> str:
    note = get_note(kind, period)
    return note.text if note else ""


def save_note(kind: str, period: str, text: str, user: User) -> ReportNote:
    """Create or overwrite the note (the audit log keeps what it said before)."""
    note = get_note(kind, period)
    if note is None:
        note = ReportNote(kind=kind, period=period, text=text, updated_by_id=user.id)
        db.session.add(note)
    else:
        note.text, note.updated_by_id = text, user.id
    db.session.flush()
    return note
