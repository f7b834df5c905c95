"""0019 adds the meeting_check table; meetings and visits stored before it are untouched."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db


def _seed_meeting(old) -> int:
    old.insert("region", code="520000", name="贵州省", level="province", kind="省")
    site = old.insert(
        "site", code="520000", name="贵州省医疗保障局", tier="province", region_code="520000"
    )
    moment = datetime(2026, 12, 3, 1, tzinfo=UTC).replace(tzinfo=None)
    return old.insert(
        "meeting",
        title="全省视频会议",
        kind="provincial_video",
        host_site_id=site,
        starts_at=moment,
        ends_at=moment,
        major_event=False,
        state="scheduled",
        version=1,
    )


def test_meetings_survive_and_owe_no_check_records(at_revision):
    old = at_revision("0018_meetings")
    meeting = _seed_meeting(old)
    old.upgrade("0019_meeting_checks")
    assert old.scalar("SELECT title FROM meeting WHERE id = :id", id=meeting) == "全省视频会议"
    assert old.scalar("SELECT count(*) FROM meeting_check") == 0
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("meeting_check")}
    assert {"uuid", "kind", "meeting_id", "site_id", "at", "flags", "content_hash"} <= columns


def test_downgrade_drops_the_table_and_keeps_the_meetings(at_revision):
    old = at_revision("0018_meetings")
    meeting = _seed_meeting(old)
    old.upgrade("0019_meeting_checks")
    db.session.commit()
    downgrade(revision="0018_meetings")
    assert "meeting_check" not in sa.inspect(db.engine).get_table_names()
    assert old.scalar("SELECT count(*) FROM meeting WHERE id = :id", id=meeting) == 1
