"""Readiness: can this server do its work now? The database answers, the photo store (and the
attachment folder) can be written, the task queue answers. Each check is timed; a failure is
logged in full with the request id and answered by name only (the route is public)."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from pathlib import Path

import sqlalchemy as sa
from flask import current_app

log = logging.getLogger(__name__)
TMP_PREFIX = ".tmp-ready-"  # photo_sweep drops any `.tmp-` file a crash left behind


class NotReady(Exception):
    """A check's own verdict (a store's ready() said no)."""


def check_database() -> str:
    from server.extensions import db

    try:
        db.session.execute(sa.text("SELECT 1"))
    except sa.exc.SQLAlchemyError:
        db.session.rollback()
        raise
    return db.engine.dialect.name


def writable(folder: str) -> str:
    """Write and remove a small file there (a full disk or a read-only mount fails here)."""
    path = Path(folder)
    path.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, dir=path)
    try:
        os.write(fd, b"ready")
    finally:
        os.close(fd)
        os.unlink(name)
    return "writable"


def check_store(store) -> str:
    """The store's own ready() (object storage: the bucket answers), then for a folder a real
    write, which also catches a full disk (the folder's permissions alone do not)."""
    answer = store.ready()
    if answer is False:
        raise NotReady("the store says it is not ready")
    if isinstance(root := getattr(store, "root", None), Path):
        return writable(str(root))
    return answer if isinstance(answer, str) else type(store).__name__


def check_photo_store() -> str:
    from server.services.core import photo_store

    return check_store(photo_store.get_store())


def check_attachments() -> str:
    from server.services.core import photo_store

    return check_store(photo_store.attachment_store())


def check_task_queue() -> str | None:
    """The queue's storage answers (Redis, the SQLite file); None: in memory (tests), skipped."""
    url = current_app.config.get("TASK_QUEUE_URL", "")
    if url.startswith("memory:"):
        return None
    huey = current_app.extensions["huey"]
    huey.pending_count()
    return url.partition(":")[0]


CHECKS = (
    ("database", check_database),
    ("photo_store", check_photo_store),
    ("attachment_store", check_attachments),
    ("task_queue", check_task_queue),
)


def run_checks() -> dict:
    """{"status": "ready"|"not_ready", "failed": [names], "checks": [{name, ok, ms, detail}]}"""
    results, failed = [], []
    for name, check in CHECKS:
        began = time.perf_counter()
        try:
            detail = check()
            ok = True
        except Exception as exc:  # any failure of a dependency is "not ready", never a 500
            log.warning("readiness: %s failed: %s: %s", name, type(exc).__name__, exc)
            detail, ok = f"failed ({type(exc).__name__})", False
            failed.append(name)
        ms = round((time.perf_counter() - began) * 1000, 2)
        results.append(
            {"name": name, "ok": ok, "ms": ms, "detail": "skipped" if detail is None else detail}
        )
    return {"status": "not_ready" if failed else "ready", "failed": failed, "checks": results}
