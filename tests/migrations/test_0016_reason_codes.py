"""0012 maps the English custody reasons and swap flags stored before codes to their codes."""

from __future__ import annotations

import importlib.util
import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from server import create_app
from server.config import TestConfig
from server.extensions import db

MIGRATION = Path(__file__).resolve().parents[2] / "migrations/versions/0016_reason_codes.py"
_spec = importlib.util.spec_from_file_location("migration_0012", MIGRATION)
m0012 = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(m0012)

OLD_CUSTODY = {  # what the services wrote before codes
    "installed as spare: swap #4 for fault #9": ("spare_installed", {"swap": 4, "fault": 9}),
    "sent to repair: swap #4": ("sent_to_repair", {"swap": 4}),
    "spare placed in the contractor's store": ("spare_stocked", {}),
    "sent to repair (RMA)": ("rma_sent", {}),
    "back from repair (RMA #2), kept as a spare": ("rma_back_as_spare", {"rma": 2}),
    "scrapped by the vendor (RMA #2)": ("rma_scrapped", {"rma": 2}),
    "back to the pool: swap #4 undone (RMA #2)": ("swap_undone", {"swap": 4, "rma": 2}),
    "back from repair (RMA #2), swapped back": ("rma_swapped_back", {"rma": 2}),
}


@pytest.mark.parametrize("text", sorted(OLD_CUSTODY))
def test_every_old_custody_sentence_has_its_code(text):
    assert m0012.custody_code(text) == OLD_CUSTODY[text]


def test_typed_custody_reasons_are_left_alone():
    assert m0012.custody_code("moved to 云岩区") is None
    assert m0012.custody_code("installed as spare: swap #4 and more") is None


def test_old_flag_sentences_joined_by_a_space_become_flags():
    text = (
        "Spare GZ5WS6EF is no longer in the pool: it was installed in 贵阳市医疗保障局 主会议室 "
        "by swap #12. Faulty unit GZ0264KW is now in room 31 on the server, not in room 30 "
        "where it was scanned."
    )
    assert m0012.flags_of(text) == [
        {
            "code": "spare_not_in_pool",
            "params": {
                "spare_tag": "GZ5WS6EF",
                "site": "贵阳市医疗保障局",
                "room": "主会议室",
                "swap": 12,
            },
        },
        {
            "code": "faulty_in_other_room",
            "params": {"faulty_tag": "GZ0264KW", "room": 31, "expected_room": 30},
        },
    ]
    assert m0012.flags_of(
        "Faulty unit GZ1 was already moved out of its room (status in_repair)."
    ) == [{"code": "faulty_moved_out", "params": {"faulty_tag": "GZ1", "status": "in_repair"}}]
    assert m0012.flags_of("Spare GZ2 is no longer in the pool: it was installed.") == [
        {"code": "spare_not_in_pool", "params": {"spare_tag": "GZ2"}}
    ]
    assert m0012.flags_of("Something else entirely.") == [
        {"code": "other", "params": {"text": "Something else entirely."}}
    ]
    assert m0012.flags_of(None) is None


@pytest.fixture
def app_before_0012(fresh_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():
        upgrade(revision="0011_user_session")
        yield app
        db.session.remove()
        db.engine.dispose()


@pytest.mark.db
def test_0012_moves_stored_custody_reasons_to_codes(app_before_0012):
    # one device type in 0011's own schema (current models carry columns it does not have)
    db.session.execute(
        sa.text(
            "INSERT INTO device_type (code, kind, name_zh, name_en, created_at, updated_at) "
            "VALUES ('L09', 'camera', '摄像机', 'camera', :at, :at)"
        ),
        {"at": datetime(2026, 1, 1)},
    )
    db.session.commit()
    type_id = db.session.scalar(sa.text("SELECT id FROM device_type LIMIT 1"))
    db.session.execute(
        sa.text(
            "INSERT INTO device (tag, type_id, status, created_at, updated_at) "
            "VALUES ('GZ5WS6EF', :t, 'spare', :at, :at)"
        ),
        {"t": type_id, "at": datetime(2026, 1, 1)},
    )
    device_id = db.session.scalar(sa.text("SELECT id FROM device"))
    reasons = ["sent to repair: swap #4 for fault #9", "moved to 云岩区", None]
    for reason in reasons:
        db.session.execute(
            sa.text(
                "INSERT INTO device_event (device_id, at, to_status, reason) "
                "VALUES (:d, :at, 'spare', :r)"
            ),
            {"d": device_id, "at": datetime(2026, 1, 2, tzinfo=UTC), "r": reason},
        )
    db.session.commit()
    upgrade(revision="0016_reason_codes")
    rows = db.session.execute(
        sa.text("SELECT reason, reason_code, reason_params FROM device_event ORDER BY id")
    ).all()
    db.session.commit()
    decoded = [
        (
            r.reason,
            r.reason_code,
            json.loads(r.reason_params) if isinstance(r.reason_params, str) else r.reason_params,
        )
        for r in rows
    ]
    assert decoded == [
        (None, "sent_to_repair", {"swap": 4, "fault": 9}),
        ("moved to 云岩区", None, None),
        (None, None, None),
    ]
