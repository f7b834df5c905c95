"""Background jobs: what was asked, who asked, how far it got, and the file it made."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped
from server.models.users import User

JOB_STATUSES = ("queued", "running", "done", "failed", "expired")
ACTIVE_STATUSES = ("queued", "running")


class Job(Timestamped, Base):
    """One run of a background task (server/tasks/): a handover package, a report, a backup.

    `active_key` holds a key (e.g. "handover") while the job is queued or running and NULL
    after: its unique constraint lets only one such job be active, on every database, so a
    second start answers with the running job instead of building twice.
    """

    __tablename__ = "job"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(sa.String(32), index=True)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    status: Mapped[str] = mapped_column(sa.String(8), default="queued", index=True)
    active_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    progress_done: Mapped[int] = mapped_column(default=0)
    progress_total: Mapped[int] = mapped_column(default=0)
    attempts: Mapped[int] = mapped_column(default=0)
    result_path: Mapped[str | None] = mapped_column(sa.String(512))
    result_name: Mapped[str | None] = mapped_column(sa.String(128))
    result_size: Mapped[int | None] = mapped_column(sa.BigInteger)
    result_sha256: Mapped[str | None] = mapped_column(sa.String(64))
    error_code: Mapped[str | None] = mapped_column(sa.String(32))
    error_message: Mapped[str | None] = mapped_column(sa.Text)
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"), index=True)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]

    created_by: Mapped[User | None] = relationship()
