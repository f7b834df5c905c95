"""0009 judges the corrections already stored by the correction rule (issue 11, finding 2)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from server import create_app
from server.config import TestConfig
from server.extensions import db
from tests.migrations.test_migrations import fresh_url  # noqa: F401  (fixture)


@pytest.fixture
def app_before_0009(fresh_url, monkeypatch):  # noqa: F811
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():
        upgrade(revision="0008_sync_received_by")
        yield app
        db.session.remove()
        db.engine.dispose()


def test_0009_judges_stored_corrections(app_before_0009):
    from server.services.core import reference, users
    from server.services.core.devices import create_device

    sites = reference.seed_regions_and_sites()
    rooms = reference.seed_rooms(sites)
    reference.seed_device_types()
    alice = users.create_user("alice", "Alice", "engineer", "old-password-1")
    bob = users.create_user("bob", "Bob", "engineer", "old-password-2")
    boss = users.create_user("boss", "Boss", "supervisor", "old-password-3")
    here, elsewhere = rooms[("520100", "main_conference")], rooms[("520300", "main_conference")]
    mine, other = create_device("L09", room_id=here.id), create_device("L09", room_id=elsewhere.id)
    db.session.commit()
    at = datetime(2025, 5, 1, tzinfo=UTC)
    meta = {"client_time": at, "server_time": at, "content_hash": "x"}
    visit_uuid = str(uuid.uuid4())
    db.session.execute(
        sa.text(
            "INSERT INTO visit (uuid, user_id, client_time, server_time, clock_skew_seconds, "
            "content_hash, site_id, inspection_kind, started_at) VALUES (:u, :user, :t, :t, 0, 'x', "
            ":site, 'quarterly', :t)"
        ),
        {"u": visit_uuid, "user": alice.id, "t": at, "site": here.site_id},
    )
    visit_id = db.session.scalar(sa.text("SELECT id FROM visit"))

    def row(user, device, supersedes=None, visit=visit_uuid):
        return {
            **meta,
            "uuid": str(uuid.uuid4()),
            "user_id": user.id,
            "visit_uuid": visit,
            "visit_id": visit_id,
            "device_id": device.id,
            "tag": device.tag,
            "inspection_kind": "quarterly",
            "outcome": "pass",
            "photos": "[]",
            "supersedes_uuid": supersedes,
        }

    original = row(alice, mine)
    rows = {
        "original": original,
        "own": row(alice, mine, original["uuid"]),
        "boss": row(boss, mine, original["uuid"]),
        "attack": row(bob, other, original["uuid"], visit=None),
        "orphan": row(bob, other, str(uuid.uuid4()), visit=None),
    }
    columns = ", ".join(original)
    for values in rows.values():
        db.session.execute(
            sa.text(
                f"INSERT INTO inspection ({columns}, clock_skew_seconds) VALUES "
                f"({', '.join(':' + k for k in original)}, 0)"
            ),
            values,
        )
    db.session.commit()
    upgrade()
    states = dict(db.session.execute(sa.text("SELECT uuid, supersede_state FROM inspection")).all())
    assert {name: states[r["uuid"]] for name, r in rows.items()} == {
        "original": None,
        "own": "valid",
        "boss": "valid",
        "attack": "review",
        "orphan": "pending",
    }
