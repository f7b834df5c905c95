"""Databases for migration tests: an empty one of the test database's kind, and one standing at
an old revision, seeded in that revision's own schema (plain SQL on the reflected tables, never
today's models, which may have columns the old schema lacks)."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from server import create_app
from server.config import TestConfig
from server.extensions import db


@pytest.fixture
def fresh_url(tmp_path):
    """An empty database of the same kind as TEST_DATABASE_URL (SQLite file otherwise)."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    name = f"xj_migr_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
    yield sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(sa.text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


class OldDatabase:
    """The app's database at an old revision: rows written with the schema of that revision."""

    STAMPS = ("created_at", "updated_at")  # NOT NULL on most tables, filled when not given

    def __init__(self):
        self._tables: dict[str, sa.Table] = {}

    def table(self, name: str) -> sa.Table:
        if name not in self._tables:
            self._tables[name] = sa.Table(
                name, sa.MetaData(), autoload_with=db.session.connection()
            )
        return self._tables[name]

    def insert(self, table_name: str, /, **values):
        """Insert one row; returns its primary key (the first column of it)."""
        table = self.table(table_name)
        now = datetime(2025, 1, 1, tzinfo=UTC)
        values = {**{c: now for c in self.STAMPS if c in table.c and c not in values}, **values}
        result = db.session.execute(sa.insert(table).values(**values))
        return result.inserted_primary_key[0]

    def scalar(self, sql: str, **params):
        return db.session.scalar(sa.text(sql), params)

    def upgrade(self, revision: str = "head") -> None:
        db.session.commit()
        self._tables.clear()
        upgrade(revision=revision)


@pytest.fixture
def at_revision(fresh_url, monkeypatch):
    """at_revision("0008_sync_received_by") -> an OldDatabase (inside the app context)."""
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():

        def at(revision: str) -> OldDatabase:
            upgrade(revision=revision)
            return OldDatabase()

        yield at
        db.session.remove()
        db.engine.dispose()
