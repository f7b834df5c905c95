"""0018 adds the meeting tables and visit.meeting_id; stored visits keep theirs (no meeting)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db


def _seed_visit(old) -> int:
    old.insert("region", code="520000", name="贵州省", level="province", kind="省")
    site = old.insert(
        "site", code="520000", name="贵州省医疗保障局", tier="province", region_code="520000"
    )
    user = old.insert(
        "user", username="e", display_name="E", role="engineer", password_hash="x", active=True
    )
    moment = datetime(2025, 3, 1, tzinfo=UTC).replace(tzinfo=None)
    return old.insert(
        "visit",
        uuid="0f8fad5b-d9cb-469f-a165-70867728950e",
        user_id=user,
        client_time=moment,
        server_time=moment,
        clock_skew_seconds=0,
        content_hash="x" * 64,
        site_id=site,
        inspection_kind="quarterly",
        started_at=moment,
    )


def test_visits_survive_and_belong_to_no_meeting(at_revision):
    old = at_revision("0017_autovacuum_ingest")
    visit = _seed_visit(old)
    old.upgrade("0018_meetings")
    assert old.scalar("SELECT meeting_id FROM visit WHERE id = :id", id=visit) is None
    tables = set(sa.inspect(db.engine).get_table_names())
    assert {"meeting", "meeting_site", "meeting_engineer", "meeting_revision"} <= tables


def test_downgrade_drops_the_tables_and_keeps_the_visits(at_revision):
    old = at_revision("0017_autovacuum_ingest")
    visit = _seed_visit(old)
    old.upgrade("0018_meetings")
    db.session.commit()
    downgrade(revision="0017_autovacuum_ingest")
    inspector = sa.inspect(db.engine)
    assert "meeting" not in inspector.get_table_names()
    assert "meeting_id" not in {c["name"] for c in inspector.get_columns("visit")}
    assert old.scalar("SELECT count(*) FROM visit WHERE id = :id", id=visit) == 1
