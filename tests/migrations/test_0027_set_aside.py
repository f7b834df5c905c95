"""0027 adds the set_aside table to a database with users and records; down removes it."""

from __future__ import annotations

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0026_reminders"


def test_upgrade_adds_the_table_and_keeps_what_was_there(at_revision):
    old = at_revision(BEFORE)
    user = old.insert(
        "user", username="e", display_name="E", role="engineer", password_hash="x", active=True
    )
    old.upgrade("0027_set_aside")
    assert "set_aside" in sa.inspect(db.engine).get_table_names()
    old.insert(
        "set_aside",
        record_uuid="0f8fad5b-d9cb-469f-a165-70867728950e",
        record_type="inspection",
        code="invalid",
        reason="设备已拆除",
        record={"type": "inspection", "data": {"tag": "GZ3K7M2B"}},
        user_id=user,
    )
    assert old.scalar("SELECT reason FROM set_aside") == "设备已拆除"
    db.session.commit()
    downgrade(revision=BEFORE)
    assert "set_aside" not in sa.inspect(db.engine).get_table_names()
    assert old.scalar('SELECT count(*) FROM "user"') == 1
