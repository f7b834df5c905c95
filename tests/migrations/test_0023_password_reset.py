"""0023 adds the reset code and the forced password change: users already there keep
signing in as before (no change required, no code), and the downgrade removes the columns."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE, AFTER = "0022_site_close", "0023_password_reset"
USER_COLUMNS = {"must_change_password", "reset_code_hash", "reset_code_expires_at"}


def _columns(table: str) -> set[str]:
    return {c["name"] for c in sa.inspect(db.engine).get_columns(table)}


def test_existing_users_and_sessions_keep_working_and_downgrade_drops_the_columns(at_revision):
    old = at_revision(BEFORE)
    assert not USER_COLUMNS & _columns("user")
    user_id = old.insert(
        "user",
        username="li.wei",
        display_name="李伟",
        role="engineer",
        password_hash="pbkdf2:sha256:1000$x$y",
        active=True,
    )
    now = datetime(2026, 12, 1, tzinfo=UTC)
    old.insert(
        "user_session",
        user_id=user_id,
        token_hash="a" * 64,
        remember=False,
        created_at=now,
        last_seen_at=now,
        expires_at=now + timedelta(hours=24),
    )
    old.upgrade(AFTER)
    row = db.session.execute(
        sa.text(
            'SELECT must_change_password, reset_code_hash, reset_code_expires_at FROM "user" '
            "WHERE id = :id"
        ),
        {"id": user_id},
    ).one()
    assert (bool(row[0]), row[1], row[2]) == (False, None, None)
    assert old.scalar("SELECT by_reset_code FROM user_session") in (False, 0)
    db.session.commit()
    downgrade(revision=BEFORE)
    assert not USER_COLUMNS & _columns("user")
    assert "by_reset_code" not in _columns("user_session")
    assert old.scalar('SELECT username FROM "user"') == "li.wei"
