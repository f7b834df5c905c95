"""Liveness answers without the database; readiness checks the database, the stores and the
task queue, and answers 503 naming what failed (on the test database's kind: SQLite or PostgreSQL)."""

from __future__ import annotations

import os

import pytest
import sqlalchemy as sa

from server import create_app
from server.config import TestConfig
from tests.live_server import free_port

READY = "/api/v1/health/ready"


def unreachable_url() -> str:
    """A database of the test database's kind that cannot be reached."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if base.startswith("postgresql"):
        return sa.engine.make_url(base).set(port=free_port()).render_as_string(hide_password=False)
    return "sqlite:////nonexistent-folder/xunjian.db"


@pytest.fixture
def broken_app(tmp_path):
    class Unreachable(TestConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = unreachable_url()
            self.PHOTO_STORE = str(tmp_path / "photos")
            self.ATTACHMENT_STORE = str(tmp_path / "attachments")

    app = create_app(Unreachable)
    yield app
    with app.app_context():
        from server.extensions import db

        db.engine.dispose()


def by_name(answer: dict) -> dict:
    return {c["name"]: c for c in answer["checks"]}


@pytest.fixture
def stores(app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["ATTACHMENT_STORE"] = str(tmp_path / "attachments")
    return tmp_path


def test_ready_when_everything_answers(client, stores, app):
    response = client.get(READY)
    assert response.status_code == 200, response.get_json()
    answer = response.get_json()
    assert answer["status"] == "ready" and answer["failed"] == []
    checks = by_name(answer)
    assert list(checks) == ["database", "photo_store", "attachment_store", "task_queue"]
    assert all(c["ok"] and c["ms"] >= 0 for c in checks.values())
    from server.extensions import db

    assert checks["database"]["detail"] == db.engine.dialect.name
    assert checks["photo_store"]["detail"] == "writable"
    assert checks["task_queue"]["detail"] == "skipped"  # memory queue of the tests
    assert list((stores / "photos").iterdir()) == []  # the probe file is gone


def test_not_ready_names_the_unreachable_database(broken_app):
    response = broken_app.test_client().get(READY, headers={"X-Request-Id": "ready-db-1"})
    assert response.status_code == 503
    answer = response.get_json()
    assert answer["status"] == "not_ready" and answer["failed"] == ["database"]
    assert by_name(answer)["database"]["detail"] == "failed (OperationalError)"
    assert by_name(answer)["photo_store"]["ok"] is True


def test_liveness_does_not_touch_the_database(broken_app):
    response = broken_app.test_client().get("/api/v1/health")
    assert response.status_code == 200 and response.get_json()["status"] == "ok"


def test_a_photo_folder_that_cannot_be_written_is_not_ready(client, stores, app):
    blocker = stores / "a-file"
    blocker.write_text("not a folder")
    app.config["PHOTO_STORE"] = str(blocker / "photos")
    answer = client.get(READY).get_json()
    assert answer["failed"] == ["photo_store"]
    assert by_name(answer)["attachment_store"]["ok"] is True


class FakeStore:
    def __init__(self, verdict):
        self.verdict = verdict

    def ready(self):
        if isinstance(self.verdict, Exception):
            raise self.verdict
        return self.verdict


@pytest.mark.parametrize(
    "verdict,ok,detail",
    [
        (None, True, "FakeStore"),
        ("s3 bucket xj reachable", True, "s3 bucket xj reachable"),
        (False, False, "failed (NotReady)"),
        (ConnectionError("endpoint down"), False, "failed (ConnectionError)"),
    ],
)
def test_a_store_with_ready_is_asked(client, stores, monkeypatch, verdict, ok, detail):
    from server.services.core import photo_store

    monkeypatch.setattr(photo_store, "get_store", lambda: FakeStore(verdict))
    response = client.get(READY)
    assert response.status_code == (200 if ok else 503)
    check = by_name(response.get_json())["photo_store"]
    assert check["ok"] is ok and check["detail"] == detail


def test_a_real_sqlite_queue_answers(client, stores, app, tmp_path, monkeypatch):
    from server.tasks import make_huey

    monkeypatch.setitem(app.config, "TASK_QUEUE_URL", f"sqlite:///{tmp_path / 'tasks.db'}")
    monkeypatch.setitem(app.extensions, "huey", make_huey(app.config["TASK_QUEUE_URL"]))
    answer = client.get(READY).get_json()
    assert by_name(answer)["task_queue"] == {
        **by_name(answer)["task_queue"],
        "ok": True,
        "detail": "sqlite",
    }


REDIS_URL = "redis://127.0.0.1:6379/7"  # this feature's own database (nothing is written)


def running_redis() -> str:
    """The local Redis, started like tests/server/tasks/helpers.py does if it is not running."""
    import subprocess
    import time

    import redis

    from tests.server.tasks.helpers import REDIS_START

    client = redis.Redis.from_url(REDIS_URL)
    for attempt in range(50):
        try:
            client.ping()
            return REDIS_URL
        except redis.ConnectionError:
            if attempt == 0:
                subprocess.run(REDIS_START, check=True)
            time.sleep(0.1)
    pytest.fail("redis-server did not start: run scripts/install_system_deps.sh")


@pytest.mark.parametrize("reachable", [True, False])
def test_a_redis_queue_is_pinged(client, stores, app, monkeypatch, reachable):
    from server.tasks import make_huey

    url = running_redis() if reachable else f"redis://127.0.0.1:{free_port()}/7"
    monkeypatch.setitem(app.config, "TASK_QUEUE_URL", url)
    monkeypatch.setitem(app.extensions, "huey", make_huey(url))
    response = client.get(READY)
    check = by_name(response.get_json())["task_queue"]
    assert response.status_code == (200 if reachable else 503)
    assert check == {
        **check,
        "ok": reachable,
        "detail": "redis" if reachable else "failed (ConnectionError)",
    }
