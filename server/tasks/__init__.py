"""The task queue: Huey, set up from the app's config (TASK_QUEUE_URL).

- `sqlite:///path` (the default: var/tasks.db, so `make run` needs nothing else),
- `redis://host:port/db` (production; several workers on several machines),
- `memory://` (tests: tasks wait in memory until a test runs them).

The queue carries only a job's id; the Job row (server/services/jobs.py) is the record.
Which functions are tasks is said in one place, server/tasks/registry.py.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa
from flask import Flask, current_app
from huey import Huey, MemoryHuey, RedisHuey, SqliteHuey
from sqlalchemy.orm import Session

from server.services.jobs import ENQUEUE_KEY

QUEUE_NAME = "xunjian"


def make_huey(url: str) -> Huey:
    """A Huey instance for a queue URL; anything else is a clear start-up error."""
    scheme = urlsplit(url).scheme
    if scheme == "sqlite":
        path = url.removeprefix("sqlite:///")
        if not path or path == url:
            raise ValueError(f"TASK_QUEUE_URL {url!r}: give a file, e.g. sqlite:///var/tasks.db")
        return SqliteHuey(QUEUE_NAME, filename=path, utc=True)
    if scheme in ("redis", "rediss", "unix"):
        return RedisHuey(QUEUE_NAME, url=url, utc=True)
    if scheme == "memory":
        return MemoryHuey(QUEUE_NAME, utc=True)
    raise ValueError(
        f"TASK_QUEUE_URL {url!r} is not sqlite:///FILE, redis://HOST:PORT/DB or memory://"
    )


def init_app(app: Flask) -> None:
    from server.tasks import registry

    huey = make_huey(app.config["TASK_QUEUE_URL"])
    app.extensions["huey"] = huey
    app.extensions["huey_tasks"] = registry.register(huey, app)


def queue() -> Huey:
    return current_app.extensions["huey"]


def enqueue(job_id: int, kind: str) -> None:
    current_app.extensions["huey_tasks"][kind](job_id)


def _after_commit(session) -> None:
    """Enqueue the jobs the committed transaction started (services/jobs.start)."""
    for job_id, kind in session.info.pop(ENQUEUE_KEY, ()):
        enqueue(job_id, kind)


def _after_rollback(session) -> None:
    session.info.pop(ENQUEUE_KEY, None)  # their rows are gone: nothing to run


def install_enqueue_hook() -> None:
    """Process-wide, once (server/hooks.py): every session enqueues its started jobs on commit."""
    if not sa.event.contains(Session, "after_commit", _after_commit):
        sa.event.listen(Session, "after_commit", _after_commit)
        sa.event.listen(Session, "after_rollback", _after_rollback)
