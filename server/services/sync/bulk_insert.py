"""Many-row INSERTs on PostgreSQL as one short statement over arrays (INSERT ... SELECT FROM
unnest), whatever the number of rows.

Why: a many-row `VALUES (...), (...)` statement (SQLAlchemy's insertmanyvalues) has one bound
parameter per cell, 1,100 for 50 inspections; psycopg re-parses such a statement's text on
every execution (it caches statements of at most 50 parameters and 4 KB only), which cost a
push of 50 records more Python than any other single step, and PostgreSQL parses as many
parameters. Here the statement has one array parameter per column, so its text is the same
for every batch: psycopg and the server cache it. Values go through each column's type (the
UTC datetime decorator, JSON), as SQLAlchemy would send them.
"""

from __future__ import annotations

import functools

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


@functools.lru_cache(maxsize=32)
def _statement(table: sa.Table, columns: tuple[str, ...], returning: tuple[str, ...]):
    dialect = postgresql.dialect()
    arrays = ", ".join(
        f"CAST(:{name} AS {_array_type(table.c[name].type, dialect)})" for name in columns
    )
    text = (
        f'INSERT INTO "{table.name}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in columns)}) '
        f"SELECT * FROM unnest({arrays})"
    )
    if returning:
        text += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
    return sa.text(text)


def _array_type(column_type, dialect) -> str:
    if isinstance(column_type, sa.JSON):
        return "JSON[]"
    return f"{column_type.compile(dialect=dialect)}[]"


def _processor(column: sa.Column, dialect):
    if isinstance(column.type, sa.JSON):  # the arrays carry the JSON text, cast by the server
        serializer = dialect._json_serializer or __import__("json").dumps
        return lambda value: None if value is None else serializer(value)
    return column.type._cached_bind_processor(dialect)


def insert(conn, table: sa.Table, rows: list[dict], returning: tuple[str, ...] = ()) -> list:
    """Insert rows (dicts with the same keys) in one statement; the returned columns' rows,
    in no particular order (key them by a unique column)."""
    if not rows:
        return []
    if len(rows) == 1:  # a plain INSERT: few enough parameters for psycopg to prepare it, and
        # binding arrays of one value cost more Python than the statement (a one-record push)
        return _insert_one(conn, table, rows[0], returning)
    columns = tuple(name for name in table.c.keys() if name in rows[0])
    params = {}
    for name in columns:
        process = _processor(table.c[name], conn.dialect)
        values = [row[name] for row in rows]
        params[name] = [process(v) for v in values] if process else values
    result = conn.execute(_statement(table, columns, returning), params)
    return result.all() if returning else []


def _insert_one(conn, table: sa.Table, row: dict, returning: tuple[str, ...]) -> list:
    statement = sa.insert(table)
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    result = conn.execute(statement, row)
    return result.all() if returning else []
