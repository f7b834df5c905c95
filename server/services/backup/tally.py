"""What a database holds, to compare a restored copy with its source: rows per table and a
digest of every record's content hash (visits, inspections, receipts carry one)."""

from __future__ import annotations

import hashlib

import sqlalchemy as sa

HASH_COLUMN = "content_hash"
BATCH = 10_000


def tables(conn: sa.Connection) -> list[str]:
    return sorted(sa.inspect(conn).get_table_names())


def revision(conn: sa.Connection) -> str | None:
    """The Alembic revision the database stands at (None: not under Alembic)."""
    if "alembic_version" not in tables(conn):
        return None
    return conn.execute(sa.text("SELECT version_num FROM alembic_version")).scalar()


def counts(conn: sa.Connection) -> dict[str, int]:
    found = {}
    for name in tables(conn):
        table = sa.table(name)
        found[name] = conn.execute(sa.select(sa.func.count()).select_from(table)).scalar_one()
    return found


def digests(conn: sa.Connection) -> dict[str, str]:
    """{table: SHA-256 over "key:content_hash" lines in key order} for tables with the column."""
    inspector = sa.inspect(conn)
    found = {}
    for name in tables(conn):
        columns = {c["name"] for c in inspector.get_columns(name)}
        if HASH_COLUMN not in columns:
            continue
        keys = inspector.get_pk_constraint(name)["constrained_columns"] or ["id"]
        query = sa.select(*(sa.column(k) for k in keys), sa.column(HASH_COLUMN)).select_from(
            sa.table(name)
        )
        digest = hashlib.sha256()
        result = conn.execution_options(yield_per=BATCH).execute(
            query.order_by(*(sa.column(k) for k in keys))
        )
        for row in result:
            digest.update(("|".join(str(v) for v in row) + "\n").encode())
        found[name] = digest.hexdigest()
    return found


def differences(expected: dict, found_counts: dict, found_digests: dict) -> list[str]:
    """What differs between the source at backup time and a restored copy, in words."""
    problems = []
    for name, rows in sorted(expected["counts"].items()):
        if found_counts.get(name) != rows:
            problems.append(f"{name}: {rows} rows at backup, {found_counts.get(name)} restored")
    for name in sorted(set(found_counts) - set(expected["counts"])):
        problems.append(f"{name}: not in the source, {found_counts[name]} rows restored")
    for name, digest in sorted(expected["digests"].items()):
        if found_digests.get(name) != digest:
            problems.append(f"{name}: content hashes differ")
    return problems
