"""A real write transaction before savepoints, on every database."""

from __future__ import annotations

import sqlite3

from server.errors import AppError
from server.extensions import db


class Busy(AppError):
    """The database could not take the write now; the client sends it again later."""

    status_code = 503
    code_name = "busy"


def begin_write_transaction() -> None:
    """Open a real write transaction on SQLite before any savepoint.

    pysqlite (Python < 3.12 legacy mode) emits no BEGIN before SAVEPOINT, so RELEASE of the
    outermost savepoint would COMMIT on its own, half a batch before the request ends.
    BEGIN IMMEDIATE also takes the write lock up front, so the batch cannot deadlock.
    PostgreSQL needs nothing: its driver opens the transaction before the first statement.
    """
    if db.engine.dialect.name != "sqlite":
        return
    raw = db.session.connection().connection.dbapi_connection
    if not raw.in_transaction:
        try:
            raw.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:  # another writer held the lock too long
            raise Busy(
                f"The database is busy ({exc}); nothing was written. Try again in a moment."
            ) from None
