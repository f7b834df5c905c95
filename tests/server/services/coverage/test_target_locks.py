"""Visit-target locks on PostgreSQL: as narrow as the data.

Two transactions writing the same site's chains (same kind) run one after the other; one
for another site runs while the first still holds its locks. Waiting is observed in pg_locks
(an ungranted advisory lock), never guessed with a sleep.
"""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db as _db
from server.models import Device, Room, Site, Visit
from server.services.coverage import targets as visit_targets
from tests.server.plans_helpers import FieldFactory
from tests.server.services.coverage.test_targets import assert_exact

DAY = datetime(2026, 2, 2, 2, tzinfo=UTC)


@pytest.fixture
def sites(app, reference_data, factory):
    if _db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has one writer at a time; the locks are PostgreSQL's")
    engineer = factory.user("engineer")
    rooms = {
        code: _db.session.scalar(sa.select(Room).join(Site).where(Site.code == code))
        for code in ("520100", "520300")
    }
    devices = {code: factory.device("L09", room=room) for code, room in rooms.items()}
    field = FieldFactory()
    visits = {
        (code, day): field.visit(room.site, engineer, DAY + timedelta(days=day)).id
        for code, room in rooms.items()
        for day in (0, 1)
    }
    _db.session.commit()
    return {"devices": {c: d.id for c, d in devices.items()}, "visits": visits}


def _inspect_in(visit_id: int, device_id: int) -> None:
    FieldFactory().inspection(_db.session.get(Visit, visit_id), _db.session.get(Device, device_id))


def _worker(app, visit_id: int, device_id: int, done: threading.Event, errors: list):
    def run():
        with app.app_context():
            try:
                _inspect_in(visit_id, device_id)
                _db.session.commit()
            except Exception as exc:  # surfaced by the test
                errors.append(exc)
            finally:
                done.set()
                _db.session.remove()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def _wait_for_a_blocked_lock(seconds: float = 20) -> None:
    """Until another backend waits for an advisory lock (what the lock is for)."""
    deadline = time.monotonic() + seconds
    with _db.engine.connect() as conn:
        while (
            conn.scalar(
                sa.text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            )
            == 0
        ):
            assert time.monotonic() < deadline, "the other transaction never waited for a lock"
            time.sleep(0.02)


def test_same_site_and_kind_wait_for_each_other(app, sites):
    """Without the (site, kind) lock the later visit's row would be computed from a snapshot
    without the earlier visit's inspection, and keep previous_at empty."""
    device = sites["devices"]["520100"]
    _inspect_in(sites["visits"][("520100", 0)], device)
    visit_targets.refresh_pending(_db.session())  # holds the lock until commit
    done, errors = threading.Event(), []
    worker = _worker(app, sites["visits"][("520100", 1)], device, done, errors)
    _wait_for_a_blocked_lock()
    assert not done.is_set()
    _db.session.commit()
    worker.join(20)
    assert not errors and done.is_set()
    assert_exact()


def test_another_site_does_not_wait(app, sites):
    """A push for another site commits while the first transaction still holds its locks
    (with one lock for every recompute it would wait for the first one's commit)."""
    _inspect_in(sites["visits"][("520100", 0)], sites["devices"]["520100"])
    visit_targets.refresh_pending(_db.session())
    done, errors = threading.Event(), []
    worker = _worker(app, sites["visits"][("520300", 0)], sites["devices"]["520300"], done, errors)
    worker.join(20)
    assert done.is_set() and not errors, errors
    _db.session.commit()
    assert_exact()
