"""0030 gives print jobs a status (old jobs: done), printer, error and attempts, and drops them again."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from flask_migrate import downgrade

from server.extensions import db

BEFORE = "0029_backups"


def test_old_jobs_become_done_and_survive_the_round_trip(at_revision):
    old = at_revision(BEFORE)
    job = old.insert(
        "print_job",
        at=datetime(2026, 1, 1, tzinfo=UTC),
        actor_label="cli",
        channel="cli",
        template="roll-40x30",
        offset_x_mm=0.0,
        offset_y_mm=0.0,
        ecc="M",
        output="pdf",
        kind="print",
        selection={"all": True},
        description="all devices",
        count=1,
    )
    db.session.commit()
    old.upgrade("0030_thermal_print")
    row = db.session.execute(
        sa.text("SELECT status, printer, error, attempts FROM print_job WHERE id = :id"),
        {"id": job},
    ).one()
    assert tuple(row) == ("done", None, None, 1)
    db.session.commit()
    downgrade(revision=BEFORE)
    columns = {c["name"] for c in sa.inspect(db.engine).get_columns("print_job")}
    assert "status" not in columns and old.scalar("SELECT count(*) FROM print_job") == 1
