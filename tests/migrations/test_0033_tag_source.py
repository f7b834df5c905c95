"""0033 gives inspections and faults a tag_source (swaps one per unit): rows from before stay unknown (null), nothing
else changes; downgrade drops the column and keeps the rows."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0032_phone_keys"
AFTER = "0033_tag_source"


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_old_inspections_become_unknown_and_survive_the_round_trip(at_revision):
    old = at_revision(BEFORE)
    db.session.execute(
        sa.text(
            'INSERT INTO "user" (username, display_name, role, password_hash, active, '
            "created_at, updated_at) VALUES ('gc', '工程师', 'engineer', 'x', :t, :now, :now)"
        ),
        {"t": True, "now": "2026-01-01 00:00:00"},
    )
    user = old.scalar("SELECT id FROM \"user\" WHERE username = 'gc'")
    db.session.execute(
        sa.text(
            "INSERT INTO inspection (uuid, user_id, client_time, server_time, clock_skew_seconds, "
            "content_hash, tag, inspection_kind, outcome, photos) VALUES (:u, :user, "
            ":now, :now, 0, :h, 'XJ-000001', 'quarterly', 'pass', '[]')"
        ),
        {
            "u": "00000000-0000-4000-8000-000000000001",
            "user": user,
            "now": "2026-01-01 00:00:00",
            "h": "a" * 64,
        },
    )
    old.upgrade(AFTER)
    assert "tag_source" in _columns("fault")
    assert {"faulty_tag_source", "spare_tag_source"} <= _columns("swap")
    row = db.session.execute(sa.text("SELECT tag, tag_source, outcome FROM inspection")).one()
    assert tuple(row) == ("XJ-000001", None, "pass")
    db.session.execute(sa.text("UPDATE inspection SET tag_source = 'typed'"))
    db.session.commit()
    downgrade(revision=BEFORE)
    assert "tag_source" not in _columns("inspection") and "tag_source" not in _columns("fault")
    assert "faulty_tag_source" not in _columns("swap")
    assert old.scalar("SELECT tag FROM inspection") == "XJ-000001"
