"""Admin overrides of the calendar: set or remove one day (the flush hooks audit-log both)."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import CalendarOverride, User

MAX_NOTE = 500


def get_override(day: date) -> CalendarOverride | None:
    return db.session.scalar(sa.select(CalendarOverride).where(CalendarOverride.day == day))


def set_override(day: date, is_working: bool, note: str, user: User | None) -> CalendarOverride:
    """Declare a day working or not, with a written note; replaces an earlier override."""
    note = (note or "").strip()
    if not note:
        raise Invalid(
            "An override needs a note saying why (e.g. 国务院办公厅 2027 年部分节假日安排).",
            errors={"json": {"note": ["write why the day is overridden"]}},
        )
    if len(note) > MAX_NOTE:
        raise Invalid(
            f"The note is {len(note)} characters long; keep it within {MAX_NOTE}.",
            errors={"json": {"note": [f"at most {MAX_NOTE} characters"]}},
        )
    override = get_override(day)
    if override is None:
        override = CalendarOverride(day=day)
        db.session.add(override)
    override.is_working = is_working
    override.note = note
    override.set_by_id = user.id if user else None
    db.session.flush()
    return override


def delete_override(day: date) -> None:
    """Remove a day's override: the library (or the weekday rule) answers again."""
    override = get_override(day)
    if override is None:
        raise NotFound(f"There is no calendar override for {day.isoformat()}.")
    db.session.delete(override)
    db.session.flush()
