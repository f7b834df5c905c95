"""The Alembic chain builds exactly the models' schema, and unwinds, on the test database's dialect."""
from __future__ import annotations

import os
import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

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


@pytest.fixture
def migrated_app(fresh_url, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _schema_diff():
    from server.models.base import UTCDateTime

    def compare_type(ctx, inspected_column, metadata_column, inspected_type, metadata_type):
        if isinstance(metadata_type, UTCDateTime):
            return not isinstance(inspected_type, sa.DateTime)
        return None

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models(migrated_app):
    assert _schema_diff() == []


def test_downgrade_to_base_and_back(migrated_app):
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _schema_diff() == []
