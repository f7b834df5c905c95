"""Many-row INSERTs on PostgreSQL as one short statement over arrays (INSERT ... SELECT FROM
unnest), whatever the number of rows.

Why: a many-row `VALUES (...), (...)` statement (SQLAlchemy's insertmanyvalues) has one bound
parameter per cell, 1,100 for 50 inspections; psycopg re-parses such a statement's text on
every execution (it caches statements of at most 50 parameters and 4 KB only), which cost a
push of 50 records more Python than any other single step, and PostgreSQL parses as many
parameters. Here the statement has one array parameter per column, so its text is the same
for every batch: psycopg and the server cache it. Values go through each column's type (the
UTC datetime decorator, JSON), as SQLAlchemy would send them.

A JSON column goes as one JSON text of the list of its values, split by the server
(json_array_elements): as a JSON[] array parameter every value's text was escaped again by
psycopg's array dumper (a regex substitution per quote: for the evidence chain's payloads,
about 440 quotes a 20-item record, a quarter of a 50-record push's Python CPU).
"""

from __future__ import annotations

import functools
import json

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql


@functools.lru_cache(maxsize=32)
def _statement(table: sa.Table, columns: tuple[str, ...], returning: tuple[str, ...]):
    dialect = postgresql.dialect()
    arrays = ", ".join(_array(name, table.c[name].type, dialect) for name in columns)
    text = (
        f'INSERT INTO "{table.name}" ({", ".join(f"{chr(34)}{n}{chr(34)}" for n in columns)}) '
        f"SELECT * FROM unnest({arrays})"
    )
    if returning:
        text += " RETURNING " + ", ".join(f'"{name}"' for name in returning)
    return sa.text(text)


def _array(name: str, column_type, dialect) -> str:
    """The SQL array of one column's values: a cast array parameter, or for JSON the elements
    of one JSON list in their order (a JSON null is SQL NULL, as None is elsewhere)."""
    if not isinstance(column_type, sa.JSON):
        return f"CAST(:{name} AS {column_type.compile(dialect=dialect)}[])"
    return (
        "ARRAY(SELECT CASE WHEN json_typeof(e) = 'null' THEN NULL ELSE e END "
        f"FROM json_array_elements(CAST(:{name} AS JSON)) WITH ORDINALITY AS t(e, n) ORDER BY n)"
    )


def _param(column: sa.Column, dialect, values: list):
    """One column's parameter: the values through the column's type, or one JSON list text."""
    if isinstance(column.type, sa.JSON):
        return (dialect._json_serializer or json.dumps)(values)
    process = column.type._cached_bind_processor(dialect)
    return [process(v) for v in values] if process else values


@functools.lru_cache(maxsize=32)
def _then_statement(table: sa.Table, columns: tuple[str, ...], then: str, one: bool):
    """WITH inserted AS (the INSERT) <then>: one row as a plain VALUES with typed parameters
    (no arrays to dump), many over arrays. Text built once: a Core insert().values(row) cost
    more Python in its cache key than the round trip it saves."""
    if not one:
        return sa.text(f"WITH inserted AS ({_statement(table, columns, ()).text}) {then}")
    names = ", ".join(f'"{name}"' for name in columns)
    values = ", ".join(f":{name}" for name in columns)
    return sa.text(
        f'WITH inserted AS (INSERT INTO "{table.name}" ({names}) VALUES ({values})) {then}'
    ).bindparams(*(sa.bindparam(name, type_=table.c[name].type) for name in columns))


def insert_then(conn, table: sa.Table, rows: list[dict], then: str, params: dict) -> None:
    """Insert the rows in a CTE of one statement whose main part is `then` (SQL text with its
    own :params, named apart from the table's columns): one round trip for both."""
    columns = tuple(name for name in table.c.keys() if name in rows[0])
    statement = _then_statement(table, columns, then, len(rows) == 1)
    if len(rows) == 1:
        values = {name: rows[0][name] for name in columns}
    else:
        values = {n: _param(table.c[n], conn.dialect, [r[n] for r in rows]) for n in columns}
    conn.execute(statement, {**values, **params})


def insert(conn, table: sa.Table, rows: list[dict], returning: tuple[str, ...] = ()) -> list:
    """Insert rows (dicts with the same keys) in one statement; the returned columns' rows,
    in no particular order (key them by a unique column)."""
    if not rows:
        return []
    if len(rows) == 1:  # a plain INSERT: few enough parameters for psycopg to prepare it, and
        # binding arrays of one value cost more Python than the statement (a one-record push)
        return _insert_one(conn, table, rows[0], returning)
    columns = tuple(name for name in table.c.keys() if name in rows[0])
    params = {
        name: _param(table.c[name], conn.dialect, [row[name] for row in rows]) for name in columns
    }
    result = conn.execute(_statement(table, columns, returning), params)
    return result.all() if returning else []


def _insert_one(conn, table: sa.Table, row: dict, returning: tuple[str, ...]) -> list:
    statement = sa.insert(table)
    if returning:
        statement = statement.returning(*(table.c[name] for name in returning))
    result = conn.execute(statement, row)
    return result.all() if returning else []
