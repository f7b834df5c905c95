"""Isolation of pytest-xdist workers (CI runs the suite with `-n`): each worker gets its own
instance directory (photos, backups, job files), PostgreSQL database and Redis database, so two
workers never share state a test empties or lists. Outside xdist nothing changes."""

from __future__ import annotations

import os
from pathlib import Path

import sqlalchemy as sa

WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", ... set by xdist
# 13 the serial run's; 7 is tests/server/observability's; 0 is named by tests/server/test_production.
REDIS_DATABASES = (13, 12, 11, 10, 9, 8, 6, 5, 4, 3, 2, 1)


def worker_index() -> int:
    return int(WORKER[2:]) if WORKER.startswith("gw") else 0


def isolate_environment() -> None:
    """Before server.config is imported (it reads XUNJIAN_INSTANCE once): a worker's own
    instance directory, and the name of its own PostgreSQL database."""
    if not WORKER or os.environ.get("XJ_XDIST_ISOLATED") == WORKER:
        return  # not under xdist, or a process a worker started (a live server, a seed script)
    os.environ["XJ_XDIST_ISOLATED"] = WORKER
    base = Path(os.environ.get("XUNJIAN_INSTANCE", Path.cwd() / "var"))
    os.environ["XUNJIAN_INSTANCE"] = str(base / "xdist" / WORKER)
    url = os.environ.get("TEST_DATABASE_URL", "")
    if url.startswith("postgresql"):
        os.environ["XJ_XDIST_BASE_DATABASE_URL"] = url
        parsed = sa.engine.make_url(url)
        worker_url = parsed.set(database=f"{parsed.database}_{WORKER}")
        os.environ["TEST_DATABASE_URL"] = worker_url.render_as_string(hide_password=False)


def redis_database(first: int = REDIS_DATABASES[0]) -> int:
    """The Redis database number of this worker (`first` for a serial run)."""
    if not WORKER:
        return first
    index = worker_index()
    if index >= len(REDIS_DATABASES):
        raise RuntimeError(f"at most {len(REDIS_DATABASES)} xdist workers have a Redis database")
    return REDIS_DATABASES[index]


def _admin_engine() -> sa.Engine:
    url = sa.engine.make_url(os.environ["TEST_DATABASE_URL"]).set(database="postgres")
    return sa.create_engine(url, isolation_level="AUTOCOMMIT")


def _worker_database() -> str | None:
    url = os.environ.get("TEST_DATABASE_URL", "")
    if WORKER and url.startswith("postgresql") and "XJ_XDIST_BASE_DATABASE_URL" in os.environ:
        return sa.engine.make_url(url).database
    return None


def create_worker_database() -> None:
    """A fresh, empty PostgreSQL database for this worker (the session's `_app` fills it)."""
    if not (name := _worker_database()):
        return
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    admin.dispose()


def drop_worker_database() -> None:
    if not (name := _worker_database()):
        return
    admin = _admin_engine()
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()
