"""0032 adds the phone keys (one per sign-in with a phone id, its session's deletion leaving the
key row) and the hand-over file imports; downgrade drops both, the sessions stay."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0031_evidence_chain"
AT = datetime(2026, 1, 1, tzinfo=UTC)


def test_keys_outlive_their_deleted_session_and_the_round_trip_keeps_sessions(at_revision):
    old = at_revision(BEFORE)
    user = old.insert(
        "user",
        username="gc",
        display_name="工程师",
        role="engineer",
        password_hash="x",
        active=True,
    )
    session_id = old.insert(
        "user_session",
        user_id=user,
        token_hash="a" * 64,
        remember=True,
        created_at=AT,
        last_seen_at=AT,
        expires_at=AT,
        by_reset_code=False,
    )
    db.session.commit()
    old.upgrade("0032_phone_keys")
    old.insert(
        "phone_key",
        key_id="k-1",
        user_id=user,
        phone_id="p-1",
        session_id=session_id,
        secret="v1.x",
        created_at=AT,
    )
    old.insert(
        "sync_import",
        key_id="k-1",
        user_id=user,
        phone_id="p-1",
        imported_at=AT,
        file_sha256="0" * 64,
        records=1,
        created=1,
        duplicates=0,
        conflicts=0,
        rejected=0,
        photos=0,
        receipt="{}",
    )
    db.session.commit()
    if db.engine.dialect.name == "sqlite":
        db.session.execute(sa.text("PRAGMA foreign_keys = ON"))
    db.session.execute(sa.text("DELETE FROM user_session"))
    assert old.scalar("SELECT count(*) FROM phone_key WHERE session_id IS NULL") == 1
    db.session.commit()
    downgrade(revision=BEFORE)
    tables = set(sa.inspect(db.engine).get_table_names())
    assert "phone_key" not in tables and "sync_import" not in tables
    assert "user_session" in tables
