"""Job rows: start (or find the running one), claim once, report progress, finish or fail.

The queue (server/tasks/) only carries a job's id; the row is the truth. A job is claimed
by one conditional UPDATE (queued -> running), so a task delivered twice, or taken by two
workers, runs once. Progress is written on its own connection so the builder's own
transaction (its reads) is never committed or expired by a progress tick.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import sqlalchemy as sa
from flask import current_app
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from server.errors import NotFound
from server.extensions import db
from server.models import Job, utcnow

STALE_AFTER = timedelta(hours=1)
ENQUEUE_KEY = "xunjian_jobs_to_enqueue"  # session.info: the jobs this transaction started  # a running job silent this long lost its worker


def get(job_id: int) -> Job:
    job = db.session.get(Job, job_id)
    if job is None:
        raise NotFound(f"There is no job {job_id}.", code_name="job_not_found")
    return job


def active(key: str) -> Job | None:
    return db.session.scalar(sa.select(Job).where(Job.active_key == key))


def start(kind: str, params: dict, key: str | None = None) -> tuple[Job, bool]:
    """A new queued job, or (when `key` names one already queued or running) that one.
    Returns (job, created); the task is enqueued when the transaction commits."""
    if key and (running := active(key)):
        return running, False
    user_id = current_user.id if current_user and current_user.is_authenticated else None
    job = Job(kind=kind, params=params, status="queued", active_key=key, created_by_id=user_id)
    try:
        with db.session.begin_nested():
            db.session.add(job)
    except IntegrityError:  # another request started it between our look and our insert
        return active(key), False
    # server/tasks/ puts it on the queue once this is committed: a worker must find the row.
    db.session.info.setdefault(ENQUEUE_KEY, []).append((job.id, job.kind))
    return job, True


def _update(job_id: int, where=None, **values) -> int:
    """One UPDATE in its own transaction; the number of rows it changed."""
    values.setdefault("updated_at", utcnow())
    statement = sa.update(Job).where(Job.id == job_id)
    if where is not None:
        statement = statement.where(where)
    with db.engine.begin() as conn:
        return conn.execute(statement.values(**values)).rowcount


def claim(job_id: int) -> bool:
    """queued -> running, once: False when another worker has it or it already ran."""
    return (
        _update(
            job_id,
            Job.status == "queued",
            status="running",
            started_at=utcnow(),
            attempts=Job.attempts + 1,
        )
        == 1
    )


def progress(job_id: int, done: int, total: int) -> None:
    _update(job_id, progress_done=done, progress_total=total)


def requeue(job_id: int, exc: BaseException) -> None:
    """A transient failure with a retry to come: queued again, the error kept for the record."""
    _update(job_id, status="queued", error_code="retrying", error_message=_text(exc))


def finish(job_id: int, path: Path, name: str, size: int, sha256: str) -> None:
    relative = os.path.relpath(path, files_root())
    _update(
        job_id,
        status="done",
        active_key=None,
        finished_at=utcnow(),
        result_path=relative,
        result_name=name,
        result_size=size,
        result_sha256=sha256,
        error_code=None,
        error_message=None,
    )


def fail(job_id: int, code: str, exc: BaseException | str) -> None:
    _update(
        job_id,
        status="failed",
        active_key=None,
        finished_at=utcnow(),
        error_code=code[:32],
        error_message=_text(exc),
    )


def _text(exc: BaseException | str) -> str:
    return str(exc)[:2000] if isinstance(exc, str) else f"{exc.__class__.__name__}: {exc}"[:2000]


def reap_stale() -> int:
    """Fail the running jobs whose worker stopped reporting (killed, machine restarted)."""
    cutoff = utcnow() - STALE_AFTER
    with db.engine.begin() as conn:
        return conn.execute(
            sa.update(Job)
            .where(Job.status == "running", Job.updated_at < cutoff)
            .values(
                status="failed",
                active_key=None,
                finished_at=utcnow(),
                error_code="worker_lost",
                error_message="The worker stopped reporting progress; start the job again.",
            )
        ).rowcount


def files_root() -> Path:
    root = Path(current_app.config["JOB_FILES"])
    root.mkdir(parents=True, exist_ok=True)
    return root


def result_file(job: Job) -> Path:
    """The finished file of a job, or a 404 saying why there is none."""
    if job.status != "done" or not job.result_path:
        raise NotFound(
            f"Job {job.id} has no file yet (it is {job.status}); download it when it is done.",
            code_name="job_not_done",
        )
    path = files_root() / job.result_path
    if not path.is_file():
        raise NotFound(
            f"The file of job {job.id} is gone; build it again.", code_name="job_file_gone"
        )
    return path


def listing(kind: str, limit: int = 50) -> list[Job]:
    return list(
        db.session.scalars(
            sa.select(Job).where(Job.kind == kind).order_by(Job.id.desc()).limit(limit)
        )
    )


def finish_without_file(job_id: int) -> None:
    _update(
        job_id,
        status="done",
        active_key=None,
        finished_at=utcnow(),
        error_code=None,
        error_message=None,
    )
