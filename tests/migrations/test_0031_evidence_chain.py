"""0031 adds the evidence chain (its head row at the genesis hash) beside existing receipts,
which stay outside the chain; a push after it starts the chain; downgrade drops it."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0030_thermal_print"


def test_upgrade_adds_the_chain_with_its_genesis_head(at_revision):
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
    old.upgrade("0031_evidence_chain")
    tables = sa.inspect(db.engine).get_table_names()
    assert {"evidence_head", "evidence_link"} <= set(tables)
    assert old.scalar("SELECT count(*) FROM evidence_head WHERE id = 1 AND seq = 0") == 1
    assert old.scalar("SELECT hash FROM evidence_head") == "0" * 64
    assert old.scalar("SELECT count(*) FROM evidence_link") == 0  # old records: not chained
    assert old.scalar("SELECT count(*) FROM sync_receipt") == 1
    db.session.commit()
    downgrade(revision=BEFORE)
    tables = sa.inspect(db.engine).get_table_names()
    assert "evidence_link" not in tables and "evidence_head" not in tables
    assert old.scalar("SELECT count(*) FROM sync_receipt") == 1
