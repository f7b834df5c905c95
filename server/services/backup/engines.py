"""Dump and restore per database kind: SQLite through its online backup API, PostgreSQL
through pg_dump's custom format (in the snapshot the counts were taken in) and pg_restore."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import uuid
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from server.errors import BackupError
from server.services.backup import tally

DUMP_NAMES = {"sqlite": "database.sqlite", "postgresql": "database.pgdump"}


def kind_of(engine: sa.Engine) -> str:
    name = engine.dialect.name
    if name not in DUMP_NAMES:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {name}.")
    return name


def dump(engine: sa.Engine, path: Path) -> dict:
    """Write the database to `path`; what it held then: {revision, counts, digests}."""
    if kind_of(engine) == "sqlite":
        return _dump_sqlite(engine, path)
    return _dump_postgresql(engine, path)


def _dump_sqlite(engine: sa.Engine, path: Path) -> dict:
    raw = engine.raw_connection()
    try:
        with sqlite3.connect(path) as target:
            # The online backup API copies one consistent state even while others write.
            raw.driver_connection.backup(target)
        target.close()
    finally:
        raw.close()
    copy = sa.create_engine(f"sqlite:///{path}")
    try:
        with copy.connect() as conn:  # the copy *is* the source at backup time
            return _tally(conn)
    finally:
        copy.dispose()


def _tally(conn: sa.Connection) -> dict:
    return {
        "revision": tally.revision(conn),
        "counts": tally.counts(conn),
        "digests": tally.digests(conn),
    }


def _dump_postgresql(engine: sa.Engine, path: Path) -> dict:
    with engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn:
        with conn.begin():
            # pg_dump reads the snapshot this transaction counted in: counts match the file.
            snapshot = conn.execute(sa.text("SELECT pg_export_snapshot()")).scalar_one()
            found = _tally(conn)
            _pg(
                "pg_dump",
                engine.url,
                ["--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}"],
                ["--file", str(path)],
            )
    return found


def _pg(program: str, url: sa.URL, options: list[str], tail: list[str]) -> None:
    """Run pg_dump / pg_restore on the database of `url` (password via the environment)."""
    env = {**os.environ}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    target = url.set(drivername="postgresql", password=None).render_as_string()
    command = [program, *options, f"--dbname={target}", *tail]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except FileNotFoundError:
        raise BackupError(
            f"{program} is not installed: install postgresql-client "
            "(scripts/install_system_deps.sh).",
            code_name="backup_tool_missing",
        ) from None
    if done.returncode != 0:
        raise BackupError(
            f"{program} failed ({done.returncode}): {done.stderr.strip()[:1500]}",
            code_name="backup_tool_failed",
        )


def restore(engine: sa.Engine, dump_path: Path) -> None:
    """Load a dump into the (empty or forced) database of `engine`."""
    if kind_of(engine) == "sqlite":
        source = sqlite3.connect(f"file:{dump_path}?mode=ro", uri=True)
        raw = engine.raw_connection()
        try:
            source.backup(raw.driver_connection)  # replaces every page of the target
        finally:
            raw.close()
            source.close()
        return
    with engine.begin() as conn:  # what is there (empty tables, or forced) goes first
        conn.execute(sa.text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(sa.text("CREATE SCHEMA public"))
    engine.dispose()
    _pg(
        "pg_restore",
        engine.url,
        ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"],
        [str(dump_path)],
    )


def measure(engine: sa.Engine) -> dict:
    with engine.connect() as conn:
        return _tally(conn)


@contextmanager
def scratch(engine: sa.Engine, work: Path):
    """An empty scratch database of the same kind, dropped afterwards."""
    if kind_of(engine) == "sqlite":
        path = work / f"scratch-{uuid.uuid4().hex[:8]}.sqlite"
        scratch_engine = sa.create_engine(f"sqlite:///{path}")
        try:
            yield scratch_engine
        finally:
            scratch_engine.dispose()
            path.unlink(missing_ok=True)
        return
    name = f"xj_backup_check_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(engine.url, isolation_level="AUTOCOMMIT", poolclass=sa.pool.NullPool)
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    scratch_engine = sa.create_engine(engine.url.set(database=name), poolclass=sa.pool.NullPool)
    try:
        yield scratch_engine
    finally:
        scratch_engine.dispose()
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def integrity(engine: sa.Engine) -> str | None:
    """SQLite's own check of a restored file; None when fine (PostgreSQL: pg_restore checked)."""
    if engine.dialect.name != "sqlite":
        return None
    with engine.connect() as conn:
        answer = conn.execute(sa.text("PRAGMA integrity_check")).scalar()
    return None if answer == "ok" else f"integrity_check: {answer}"
