"""Backup runs: each backup file made (or the attempt that failed) and its restore check."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from server.models.base import Base

# verified: written and restored in a scratch database with equal counts and digests;
# check_failed: written, but the restore check found a difference (or could not restore it);
# failed: no backup file was made (no key, a full disk, pg_dump failed).
BACKUP_STATES = ("verified", "check_failed", "failed")


class BackupRun(Base):
    """One run of `xunjian backup` or of the daily task: the file, what it held, the check."""

    __tablename__ = "backup_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(index=True)
    finished_at: Mapped[datetime]
    ran_by: Mapped[str] = mapped_column(sa.String(64))  # "task:backups.daily", "cli:<user>"
    state: Mapped[str] = mapped_column(sa.String(16), index=True)
    reason: Mapped[str | None] = mapped_column(sa.Text)  # why a check failed or a run failed
    file_name: Mapped[str | None] = mapped_column(sa.String(128))
    size: Mapped[int | None] = mapped_column(sa.BigInteger)
    sha256: Mapped[str | None] = mapped_column(sa.String(64))
    db_kind: Mapped[str] = mapped_column(sa.String(16))
    revision: Mapped[str | None] = mapped_column(sa.String(64))
    counts: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {table: rows} at backup time
    digests: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # {table: content-hash digest}
    photos: Mapped[int | None]  # photos in the store's manifest
    check_seconds: Mapped[float | None] = mapped_column(sa.Float)
    pruned_at: Mapped[datetime | None]  # the file was deleted by the retention
