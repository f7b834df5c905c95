"""The data security and backup item (software form) from the backup runs (docs/backup.md):
-5 per missed daily backup cycle, -8 per backup that failed its restore check.

Readings (rules.py): a daily cycle is kept by a backup file made that China day, whatever its
check found (a failed check costs its own -8, not also a missed cycle); cycles are owed from
BACKUP_OWED_FROM, by default from the day of the first recorded run (before it the records
cannot say what was owed); today's cycle can still run.
"""

from __future__ import annotations

from datetime import date, timedelta

import sqlalchemy as sa
from flask import current_app

from server import periods
from server.extensions import db
from server.models import BackupRun
from server.services.assessment import rules
from server.services.assessment.records import Finding, link

MADE = ("verified", "check_failed")


def run_link(run: BackupRun) -> dict:
    day = periods.local_day(run.started_at)
    return link("backup", f"备份 #{run.id}（{day}）", f"/api/v1/backups/{run.id}", run.id)


def day_link(day: date) -> dict:
    return link("backups", f"{day} 备份记录", f"/api/v1/backups?from={day}&to={day}")


def owed_from() -> date | None:
    if text := (current_app.config.get("BACKUP_OWED_FROM") or "").strip():
        return date.fromisoformat(text)
    first = db.session.scalar(sa.select(sa.func.min(BackupRun.started_at)))
    return periods.local_day(first) if first else None


def _runs(first: date, last: date) -> list[BackupRun]:
    start, end = periods.day_start(first), periods.day_start(last + timedelta(days=1))
    query = sa.select(BackupRun).where(BackupRun.started_at >= start, BackupRun.started_at < end)
    return list(db.session.scalars(query.order_by(BackupRun.started_at, BackupRun.id)))


def backup_findings(first: date, last: date, today: date) -> list[Finding]:
    """Missed cycles and failed restore checks of the days first..last, seen on `today`."""
    runs = _runs(first, last)
    by_day: dict[date, list[BackupRun]] = {}
    for run in runs:
        by_day.setdefault(periods.local_day(run.started_at), []).append(run)
    found = [_failed_check(run) for run in runs if run.state == "check_failed"]
    since = owed_from()
    if since is None:
        return found
    day = max(first, since)
    while day <= last and day < today:
        made = [r for r in by_day.get(day, ()) if r.state in MADE]
        if not made:
            found.append(_missed(day, by_day.get(day, [])))
        day += timedelta(days=1)
    return sorted(found, key=lambda f: f.on)


def _missed(day: date, failed: list[BackupRun]) -> Finding:
    why = "; ".join(dict.fromkeys((r.reason or "")[:200] for r in failed)) or "no run recorded"
    return Finding(
        "software",
        "backup",
        "backup_cycle_missed",
        rules.MISSED_BACKUP_CYCLE_POINTS,
        day,
        f"{day}: no backup made ({why})",
        [*(run_link(r) for r in failed), day_link(day)],
        {"runs": [{"id": r.id, "state": r.state, "reason": r.reason} for r in failed]},
        what_zh=f"{day} 未生成备份（{len(failed)} 次尝试失败）" if failed else f"{day} 无备份记录",
    )


def _failed_check(run: BackupRun) -> Finding:
    day = periods.local_day(run.started_at)
    return Finding(
        "software",
        "backup",
        "backup_restore_failed",
        rules.FAILED_RESTORE_CHECK_POINTS,
        day,
        f"{day}: backup {run.file_name} failed its restore check: {run.reason}",
        [run_link(run)],
        {"file_name": run.file_name, "sha256": run.sha256, "reason": run.reason},
        what_zh=f"{day} 备份 {run.file_name} 恢复验证未通过",
    )
