"""Which database errors a retry can cure (answer `busy`) and which it cannot (refuse the record)."""

from __future__ import annotations

import sqlite3

from sqlalchemy.exc import DataError, DBAPIError, OperationalError

# SQLSTATE classes a retry can cure: transaction rollback (serialization failure, deadlock),
# connection exception, insufficient resources, lock not available, query canceled (a lock or
# statement timeout), operator intervention (the server shutting down or starting up).
TRANSIENT_SQLSTATES = ("40", "08", "53", "55P03", "57014", "57P")


def transient(exc: DBAPIError) -> bool:
    """Whether the same statement may well succeed later (else the data itself is at fault)."""
    if exc.connection_invalidated:
        return True
    state = getattr(exc.orig, "sqlstate", None)  # psycopg
    if state:
        return state.startswith(TRANSIENT_SQLSTATES)
    if isinstance(exc.orig, sqlite3.Error):  # no SQLSTATE: only its lock errors pass
        message = str(exc.orig).lower()
        return isinstance(exc, OperationalError) and ("locked" in message or "busy" in message)
    return isinstance(exc, OperationalError)  # a lost connection carries no SQLSTATE


def refusal(exc: DBAPIError) -> tuple[str, dict | None, str]:
    """(reason, errors, code) for a record the database refused for good."""
    if isinstance(exc, DataError):  # a value the column cannot hold slipped past validation
        first = str(exc.orig).splitlines()[0] if str(exc.orig) else exc.__class__.__name__
        return (
            f"The database cannot hold a value of this record ({first}); fix it and resend.",
            None,
            "invalid",
        )
    return (
        "The server could not store this record (the error was logged); keep it and "
        "report it. The other records were stored.",
        None,
        "server_error",
    )
