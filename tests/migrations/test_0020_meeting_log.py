"""0020 adds the meeting log tables (incidents, usage registers) and removes them again."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

TABLES = {"meeting_incident", "usage_register"}
BEFORE = "0019_meeting_checks"


def test_upgrade_adds_and_downgrade_drops_the_tables(at_revision):
    old = at_revision(BEFORE)
    assert not TABLES & set(sa.inspect(db.engine).get_table_names())
    old.upgrade("0020_meeting_log")
    assert TABLES <= set(sa.inspect(db.engine).get_table_names())
    db.session.commit()
    downgrade(revision=BEFORE)
    assert not TABLES & set(sa.inspect(db.engine).get_table_names())
