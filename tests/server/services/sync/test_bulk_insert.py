"""Many-row INSERTs over arrays (server/services/sync/bulk_insert.py, PostgreSQL only): every
row stored once with its own values, JSON values as sent (None as SQL NULL), in any order."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.services.sync import bulk_insert

TRICKY = [
    {"a": 'quote " and backslash \\ and {braces}, commas', "n": [1, 2.5, None, True]},
    ["中文", "\u0000-free", "", {"nested": {"deep": ['"x"', "\\"]}}],
    None,
    'a bare string with "quotes"',
    0,
    [],
    {},
]


@pytest.fixture
def table(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("bulk_insert is PostgreSQL's (SQLite takes an executemany)")
    metadata = sa.MetaData()
    table = sa.Table(
        "bulk_probe",
        metadata,
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("label", sa.String(64)),
        sa.Column("doc", sa.JSON),
        sa.Column("strict", sa.JSON(none_as_null=True)),
    )
    metadata.create_all(db.session.connection())
    yield table
    db.session.rollback()
    metadata.drop_all(db.engine)


def test_json_values_and_nulls_land_in_their_own_rows(table):
    rows = [
        {"id": n, "label": f"row {n} 'x'", "doc": value, "strict": value}
        for n, value in enumerate(TRICKY, start=1)
    ]
    returned = bulk_insert.insert(db.session.connection(), table, rows, ("id", "label"))
    assert sorted(returned) == [(r["id"], r["label"]) for r in rows]
    stored = db.session.execute(
        sa.select(table.c.id, table.c.doc, table.c.strict, table.c.doc.is_(None)).order_by("id")
    ).all()
    assert [(i, doc, strict) for i, doc, strict, _ in stored] == [
        (r["id"], r["doc"], r["strict"]) for r in rows
    ]
    assert [i for i, _, _, is_null in stored if is_null] == [3]  # SQL NULL, not JSON null


def test_one_row_and_many_rows_store_the_same(table):
    one = {"id": 1, "label": "one", "doc": TRICKY[0], "strict": None}
    many = [dict(one, id=n, label=f"n{n}") for n in range(2, 60)]
    bulk_insert.insert(db.session.connection(), table, [one])
    bulk_insert.insert(db.session.connection(), table, many)
    docs = db.session.execute(sa.select(table.c.doc).order_by("id")).scalars().all()
    assert docs == [TRICKY[0]] * 59
