"""0024 adds fault comments, escalation columns and retired device types, and clears the English
"source: field" / "source: phone" notes older code wrote on report steps (typed notes stay)."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0022_site_close"
AFTER = "0024_fault_comments"
AT = datetime(2025, 3, 6, 8, 0, tzinfo=UTC)


def _seed(old) -> dict[str, int]:
    """A user, a type, a unit, a fault and its steps, written in 0022's own schema."""
    user = old.insert(
        "user",
        username="sup",
        display_name="主管",
        role="supervisor",
        password_hash="x",
        active=True,
    )
    type_id = old.insert(
        "device_type", code="L09", kind="camera", name_zh="摄像机", name_en="Camera"
    )
    device = old.insert("device", tag="GZ3K7M2B", type_id=type_id, status="in_service")
    fault = old.insert(
        "fault",
        uuid="00000000-0000-4000-8000-000000000001",
        user_id=user,
        client_time=AT,
        server_time=AT,
        content_hash="",
        clock_skew_seconds=0,
        device_id=device,
        source="phone",
        severity="major",
        urgent_meeting=False,
        description="黑屏",
        photos=[],
        state="responded",
        reported_at=AT,
        responded_at=AT,
    )
    notes = {
        "field": "source: field",
        "phone": "source: phone",
        "typed": "source: phone call from 张三",  # a person wrote this: kept
        "none": None,
        "other": "已远程重启",
    }
    ids = {}
    for key, note in notes.items():
        ids[key] = old.insert(
            "fault_step",
            fault_id=fault,
            fault_uuid="00000000-0000-4000-8000-000000000001",
            step="reported" if key in ("field", "phone") else "responded",
            at=AT,
            server_time=AT,
            user_id=user,
            note=note,
        )
    return ids


def _note(old, step_id):
    return old.scalar("SELECT note FROM fault_step WHERE id = :id", id=step_id)


def test_the_english_source_notes_are_cleared_and_typed_notes_stay(at_revision):
    old = at_revision(BEFORE)
    ids = _seed(old)
    old.upgrade(AFTER)
    assert _note(old, ids["field"]) is None and _note(old, ids["phone"]) is None
    assert _note(old, ids["typed"]) == "source: phone call from 张三"
    assert _note(old, ids["other"]) == "已远程重启" and _note(old, ids["none"]) is None
    # The old fault gets the first tier and no level; the new table and columns are there.
    assert old.scalar("SELECT tier FROM fault") == "first_line"
    assert old.scalar("SELECT level FROM fault") is None
    assert old.scalar("SELECT retired_at FROM device_type") is None
    assert old.scalar("SELECT count(*) FROM fault_comment") == 0


def test_downgrade_drops_what_0024_added(at_revision):
    old = at_revision(BEFORE)
    _seed(old)
    old.upgrade(AFTER)
    db.session.commit()
    downgrade(revision=BEFORE)
    inspector = sa.inspect(db.engine)
    assert "fault_comment" not in inspector.get_table_names()
    assert "tier" not in {c["name"] for c in inspector.get_columns("fault")}
    assert "retired_at" not in {c["name"] for c in inspector.get_columns("device_type")}
