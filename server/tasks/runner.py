"""How a task runs: an app context per task, the job claimed once, errors sorted into
retry (transient), failed with the domain error's code, or failed as an internal error."""

from __future__ import annotations

import hashlib
import importlib
import logging
from datetime import UTC, datetime
from pathlib import Path

from flask import Flask
from huey import Huey
from sqlalchemy.exc import DBAPIError, OperationalError

from server.errors import AppError
from server.extensions import db
from server.observability.context import JOB_ID
from server.services.core.photo_checks import StoreUnavailable

log = logging.getLogger("xunjian.tasks")
# Failures worth another try: the database, the disk, the network or the object store hiccupped.
TRANSIENT = (OperationalError, DBAPIError, OSError, ConnectionError, TimeoutError, StoreUnavailable)


def load(spec: str):
    """'package.module:function' -> the function."""
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def job_task(app: Flask, kind):
    def run(job_id: int, task=None):
        token = JOB_ID.set(job_id)  # on every log line of the job (server/observability/logs.py)
        with app.app_context():
            try:
                run_job(kind, job_id, retries_left=task.retries if task else 0)
            finally:
                db.session.remove()
                JOB_ID.reset(token)

    run.__name__ = f"job_{kind.name}"
    return run


def run_job(kind, job_id: int, retries_left: int = 0) -> None:
    from server.models import Job
    from server.services import jobs
    from server.services.core.audit import acting_as

    if not jobs.claim(job_id):
        log.info("job %s is not queued (another worker has it, or it ran); skipped", job_id)
        return
    job = db.session.get(Job, job_id, populate_existing=True)

    def report(done: int, total: int) -> None:
        jobs.progress(job_id, done, total)

    try:
        with acting_as(job.created_by_id, f"job:{job_id}"):
            result = load(kind.builder)(job, report)
            db.session.commit()
    except TRANSIENT as exc:
        db.session.rollback()
        if retries_left > 0:
            log.warning("job %s: transient failure, retrying: %s", job_id, exc)
            jobs.requeue(job_id, exc)
            raise  # Huey puts the task back after its retry delay
        jobs.fail(job_id, "transient_failure", exc)
        return
    except AppError as exc:
        db.session.rollback()
        jobs.fail(job_id, exc.code_name, exc.message)
        return
    except Exception as exc:
        db.session.rollback()
        log.exception("job %s failed", job_id)
        jobs.fail(job_id, "internal_error", exc)
        return
    if result is None:
        jobs.finish_without_file(job_id)
    else:
        path, name = result
        jobs.finish(job_id, Path(path), name, *_size_and_sha(Path(path)))


def _size_and_sha(path: Path) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def periodic_task(app: Flask, huey: Huey, periodic):
    """A periodic task that runs once per schedule slot however many workers' schedulers
    enqueued it: the first to set the slot's key in the shared queue storage runs it."""

    def run():
        slot = datetime.now(UTC).strftime(periodic.slot)
        if not claim_slot(huey, periodic.name, slot):
            log.info(
                "periodic %s: slot %s already run by another worker; skipped", periodic.name, slot
            )
            return
        log.info("periodic %s: slot %s", periodic.name, slot)
        with app.app_context():
            try:
                load(periodic.function)()
                db.session.commit()
            finally:
                db.session.remove()

    run.__name__ = periodic.name.replace(".", "_")
    return run


def claim_slot(huey: Huey, name: str, slot: str) -> bool:
    """True for the first caller of a (task, slot); the previous slot's key is dropped so the
    storage holds one key per periodic task."""
    key = f"periodic:{name}:{slot}"
    if not huey.put_if_empty(key, "1"):
        return False
    last = f"periodic-last:{name}"
    previous = huey.get(last, peek=True)
    if previous and previous != key:
        huey.delete(previous)
    huey.put(last, key)
    return True
