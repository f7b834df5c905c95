"""Backup retention: a file is deleted once it is beyond the newest BACKUP_KEEP files *and*
older than BACKUP_KEEP_DAYS; its row stays (marked pruned) as the record of the run."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

from server.extensions import db
from server.models import BackupRun


def prune(directory: Path, now: datetime) -> list[int]:
    """Delete the files retention no longer keeps; the ids of their runs."""
    keep = int(current_app.config["BACKUP_KEEP"])
    cutoff = now - timedelta(days=int(current_app.config["BACKUP_KEEP_DAYS"]))
    with_files = db.session.scalars(
        sa.select(BackupRun)
        .where(BackupRun.file_name.is_not(None), BackupRun.pruned_at.is_(None))
        .order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
    ).all()
    pruned = []
    root = directory.resolve()
    for run in with_files[keep:]:
        if run.started_at >= cutoff:
            continue
        path = (root / run.file_name).resolve()
        if path.parent == root:  # a row never makes us delete outside the folder
            path.unlink(missing_ok=True)
        run.pruned_at = now
        pruned.append(run.id)
    db.session.flush()
    return pruned
