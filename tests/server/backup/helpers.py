"""A database worth backing up (reference data, a visit with inspections pushed through the
sync API, a photo) stamped at the code's Alembic head, and fresh target databases."""

from __future__ import annotations

import io
import os
import uuid
from contextlib import contextmanager

import sqlalchemy as sa
from PIL import Image

from server import create_app
from server.config import TestConfig
from server.extensions import db
from server.services.backup import restore, sealed
from tests import sync_records as rec

PULL, PUSH = "/api/v1/sync/pull", "/api/v1/sync/push"


def stamp(revision: str | None = None) -> None:
    """What `xunjian db upgrade` leaves: the alembic_version row (tests build with create_all)."""
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))
        conn.execute(sa.text("CREATE TABLE alembic_version (version_num VARCHAR(32) PRIMARY KEY)"))
        conn.execute(
            sa.text("INSERT INTO alembic_version VALUES (:r)"),
            {"r": revision or restore.head_revision()},
        )


def unstamp() -> None:
    with db.engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS alembic_version"))


def configure(app, tmp_path) -> str:
    key = sealed.new_key()
    app.config.update(BACKUP_KEY=key, BACKUP_DIR=str(tmp_path / "backups"))
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    return key


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 30, 30)).save(out, "JPEG")
    return out.getvalue()


def fill(auth, factory) -> None:
    """A visit with two inspections pushed as a phone does, and one uploaded photo."""
    import hashlib

    engineer = auth("engineer")
    pack = engineer.get(PULL).get_json()
    template = next(t for t in pack["templates"] if t["inspection_kind"] == "quarterly")
    visit = rec.visit("520000")
    records = [visit]
    for _ in range(2):
        records.append(rec.inspection(template, factory.device("L09").tag, visit["uuid"]))
    answer = engineer.post(PUSH, json={"records": records})
    assert answer.status_code == 200, answer.get_json()
    photo = jpeg()
    sha = hashlib.sha256(photo).hexdigest()
    put = engineer.put(f"/api/v1/photos/{sha}", data=photo, headers={"Content-Type": "image/jpeg"})
    assert put.status_code in (200, 201), put.get_json()


@contextmanager
def target_app(tmp_path, key: str):
    """An app on a new, empty database of the test database's kind; dropped afterwards."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        name = f"xj_restore_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}"'))
        url = sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False)
    else:
        admin, url = None, f"sqlite:///{tmp_path / f'restored-{uuid.uuid4().hex[:6]}.db'}"

    class TargetConfig(TestConfig):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url
            self.BACKUP_KEY = key

    app = create_app(TargetConfig)
    try:
        yield app
    finally:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        if admin is not None:
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
