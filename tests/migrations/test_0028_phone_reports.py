"""0028 adds the phone_report table beside a seeded user's receipts, and drops it again."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0026_reminders"


def test_upgrade_adds_phone_report_and_keeps_receipts(at_revision):
    old = at_revision(BEFORE)
    user = old.insert(
        "user",
        username="gc",
        display_name="工程师",
        role="engineer",
        password_hash="x",
        active=True,
    )
    old.insert(
        "sync_receipt",
        uuid="00000000-0000-4000-8000-000000000001",
        record_type="visit",
        content_hash="0" * 64,
        user_id=user,
        client_time=datetime(2026, 1, 1, tzinfo=UTC),
        server_time=datetime(2026, 1, 1, tzinfo=UTC),
        clock_skew_seconds=0,
    )
    db.session.commit()
    old.upgrade("0028_phone_reports")
    assert "phone_report" in sa.inspect(db.engine).get_table_names()
    report = old.insert(
        "phone_report",
        phone_id="phone-0001",
        user_id=user,
        waiting=1,
        uuids=["00000000-0000-4000-8000-000000000002"],
        lost_uuids=[],
        reported_at=datetime(2026, 1, 2, tzinfo=UTC),
    )
    assert report
    assert old.scalar("SELECT count(*) FROM sync_receipt") == 1
    db.session.commit()
    downgrade(revision=BEFORE)
    assert "phone_report" not in sa.inspect(db.engine).get_table_names()
    assert old.scalar("SELECT count(*) FROM sync_receipt") == 1
