"""Job retention: finished jobs' files are deleted after JOB_RETENTION_DAYS; the row stays,
marked `expired`, so the API answers 410 Gone with a clear message instead of a 404."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from server.errors import AppError
from server.extensions import db
from server.models import Job, utcnow
from server.services import jobs

FINISHED = ("done", "failed")


class Gone(AppError):
    status_code = 410
    code_name = "job_expired"


def current_time() -> datetime:
    """The clock retention reads (tests freeze it)."""
    return utcnow()


def retention() -> timedelta:
    return timedelta(days=int(current_app.config["JOB_RETENTION_DAYS"]))


def prune(now: datetime | None = None) -> list[int]:
    """Delete the files of jobs finished more than the retention ago; the ids expired."""
    cutoff = (now or current_time()) - retention()
    expired = db.session.scalars(
        sa.select(Job).where(Job.status.in_(FINISHED), Job.finished_at < cutoff)
    ).all()
    root = jobs.files_root().resolve()
    for job in expired:
        if job.result_path:
            path = (root / job.result_path).resolve()
            if path.is_relative_to(root):  # a row never makes us delete outside the folder
                path.unlink(missing_ok=True)
        job.status = "expired"
        job.result_path = None  # name, size and SHA-256 stay: the record of what was made
    db.session.flush()
    return [job.id for job in expired]


def check(job: Job) -> Job:
    """The job, or 410 Gone when retention removed its file."""
    if job.status == "expired":
        days = current_app.config["JOB_RETENTION_DAYS"]
        raise Gone(
            f"Job {job.id} finished more than {days} days ago and its file was deleted "
            "(JOB_RETENTION_DAYS); start it again.",
            errors={"job": {"status": "expired", "finished_at": str(job.finished_at)}},
        )
    return job
