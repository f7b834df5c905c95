"""The backup runs feed the software form's data security and backup item: -5 per missed daily
cycle, -8 per backup that failed its restore check, each pointing at its records."""

from __future__ import annotations

from datetime import date

from server.extensions import db
from server.models import BackupRun
from server.services.assessment.scorer import assess
from server.services.backup import run as backup_run
from tests.server.frozen import cst

NOW = cst(2025, 3, 20, 12, 0)


def _run(at, state: str, reason: str | None = None) -> BackupRun:
    made = state != "failed"
    record = BackupRun(
        started_at=at,
        finished_at=at,
        ran_by=backup_run.TASK_ACTOR,
        state=state,
        reason=reason,
        file_name=f"xunjian-{at:%Y%m%dT%H%M%S}Z-sqlite.xjbk" if made else None,
        db_kind="sqlite",
        counts={},
        digests={},
    )
    db.session.add(record)
    db.session.commit()
    return record


def _backup_line(result):
    software = next(f for f in result.forms if f.code == "software")
    return next(line for line in software.lines if line.code == "backup")


def test_missed_cycles_and_failed_checks_point_at_their_records(app):
    _run(cst(2025, 3, 10, 2, 30), "verified")
    failed = _run(cst(2025, 3, 11, 2, 30), "failed", "BACKUP_KEY is not set")
    # 12 March: no run at all; 13 March: made, but the check failed (-8, not also a miss).
    bad = _run(cst(2025, 3, 13, 2, 30), "check_failed", "inspection: 5 rows at backup, 4 restored")
    _run(cst(2025, 3, 14, 2, 30), "verified")
    line = _backup_line(assess(date(2025, 3, 10), date(2025, 3, 14), now=NOW))
    points = [(f.rule, f.points, f.on) for f in line.deductions]
    assert points == [
        ("backup_cycle_missed", -5, date(2025, 3, 11)),
        ("backup_cycle_missed", -5, date(2025, 3, 12)),
        ("backup_restore_failed", -8, date(2025, 3, 13)),
    ]
    assert line.score == 0  # 10 - 18, never below 0
    missed_11, missed_12, failed_check = line.deductions
    assert missed_11.links[0]["url"] == f"/api/v1/backups/{failed.id}"
    assert "BACKUP_KEY is not set" in missed_11.what
    assert missed_12.links == [
        {
            "kind": "backups",
            "id": None,
            "label": "2025-03-12 备份记录",
            "url": "/api/v1/backups?from=2025-03-12&to=2025-03-12",
        }
    ]
    assert failed_check.links[0]["url"] == f"/api/v1/backups/{bad.id}"
    assert failed_check.detail["reason"].startswith("inspection: 5 rows")


def test_cycles_are_owed_from_the_first_run_or_the_configured_day(app):
    """Before any backup was recorded the records cannot say a cycle was owed; today's cycle
    can still run; BACKUP_OWED_FROM makes the days before the first run owed too."""
    _run(cst(2025, 3, 18, 2, 30), "verified")
    line = _backup_line(assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW))
    assert [f.on for f in line.deductions] == [date(2025, 3, 19)]  # not the 20th (today)
    app.config["BACKUP_OWED_FROM"] = "2025-03-16"
    line = _backup_line(assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW))
    assert [f.on for f in line.deductions] == [
        date(2025, 3, 16),
        date(2025, 3, 17),
        date(2025, 3, 19),
    ]
    app.config["BACKUP_OWED_FROM"] = ""


def test_a_real_failed_run_becomes_a_missed_cycle(app, tmp_path, monkeypatch):
    """`xunjian backup` without a key on 11 March 2025: its row is the missed cycle's evidence."""
    app.config.update(BACKUP_KEY="", BACKUP_DIR=str(tmp_path / "backups"))
    monkeypatch.setattr(backup_run, "current_time", lambda: cst(2025, 3, 11, 2, 30))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1
    line = _backup_line(assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW))
    assert [(f.rule, f.on) for f in line.deductions][0] == (
        "backup_cycle_missed",
        date(2025, 3, 11),
    )
    assert line.deductions[0].links[0]["kind"] == "backup"
    assert len(line.deductions) == 9  # every day from the first run (11th) to yesterday (19th)
