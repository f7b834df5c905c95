"""Shared fixtures: app, db, client, auth helper and factories.

Set TEST_DATABASE_URL (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test) to run
every database test on PostgreSQL; the default is in-memory SQLite.
"""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa

from server import create_app
from server.config import TestConfig
from server.extensions import db as _db
from server.models import Device, User
from server.services.core import reference, users
from tests import parallel
from tests.live_server import live_database_template, live_server  # noqa: F401  (fixtures for every test)
from tests.prod_fixtures import prod_server, prod_stack  # noqa: F401  (nginx + two gunicorn servers)
from tests.s3_server import any_store, seaweed  # noqa: F401  (SeaweedFS: tests/s3_server.py)

PASSWORD = "correct-horse-9"
ROLES = ("viewer", "engineer", "supervisor", "admin")
_counter = itertools.count(1)
BROWSER_FIXTURES = {"browser", "context", "playwright_instance"}


def pytest_configure(config):
    parallel.create_worker_database()  # an xdist worker's own PostgreSQL database


def pytest_unconfigure(config):
    parallel.drop_worker_database()


def pytest_collection_modifyitems(items):
    """Every test that touches the database is marked `db` (CI repeats them on PostgreSQL):
    those using the `app` fixture (or its session `_app`, as schemathesis tests do), those
    against a live server (tests/live_server.py serves TEST_DATABASE_URL's kind of database),
    which are marked `live`, and the migration tests (tests/migrations: `fresh_url` is a
    database of TEST_DATABASE_URL's kind)."""
    unmarked = []
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & {"app", "_app", "live_server", "fresh_url"} or item.get_closest_marker(
            "live"
        ):
            item.add_marker(pytest.mark.db)
        # A browser test carries `browser`, one on a live server `live`, so -m selects them all.
        if fixtures & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            unmarked.append(f"{item.nodeid} (browser)")
        if "live_server" in fixtures and not item.get_closest_marker("live"):
            unmarked.append(f"{item.nodeid} (live)")
    if unmarked:
        raise pytest.UsageError("tests missing their marker: " + ", ".join(unmarked))
    if parallel.WORKER:
        _slow_files_first(items)


# The longest files (`--durations` on CI's machine): under xdist `--dist loadfile` hands out
# files in collection order, so these start first and overlap the rest instead of running alone
# at the end.
SLOW_FILES = ("tests/server/api/test_fuzz.py", "tests/server/handover/test_package.py")


def _slow_files_first(items) -> None:
    rank = {name: i for i, name in enumerate(SLOW_FILES)}
    items.sort(key=lambda item: rank.get(item.nodeid.split("::", 1)[0], len(SLOW_FILES)))


@pytest.fixture(scope="session")
def _app():
    app = create_app(TestConfig)
    with app.app_context():
        _db.drop_all()
        _db.create_all()  # tests only: real databases get their schema from Alembic
    yield app
    with app.app_context():
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def _forget_signed_in_user(sender, **extra):
    """Tests hold one app context across requests, so `g` would carry Flask-Login's
    user from one client's request into another's; production has a context per request."""
    from flask import g

    g.pop("_login_user", None)


@pytest.fixture
def app(_app):
    """The app with an empty database, emptied again after the test."""
    from flask import request_started

    request_started.connect(_forget_signed_in_user, _app)
    with _app.app_context():
        yield _app
        _db.session.rollback()
        _db.session.remove()
        _empty_all_tables()
        _app.extensions["huey"].flush()  # queued tasks name jobs that are gone now


def _empty_all_tables() -> None:
    with _db.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            names = ", ".join(f'"{t.name}"' for t in _db.metadata.sorted_tables)
            conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(_db.metadata.sorted_tables):
                conn.execute(table.delete())


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def reference_data(app):
    """Regions, the 99 bureaus with rooms, the contract's device types and checklists."""
    sites = reference.seed_regions_and_sites()
    rooms = reference.seed_rooms(sites)
    types = reference.seed_device_types()
    templates = reference.seed_checklists()
    _db.session.commit()
    return {
        "sites": {s.code: s for s in sites},
        "rooms": rooms,
        "types": types,
        "templates": templates,
    }


@pytest.fixture
def demo(app):
    """The whole demo province (1,178 units + spares, demo users)."""
    from server.services.demo import seed_demo

    summary = seed_demo()
    _db.session.commit()
    return summary


@pytest.fixture(scope="session")
def playwright_instance():
    """The one sync Playwright of the session: a second one inside it cannot start."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_instance):
    from tests.chromium import launch

    chromium = launch(playwright_instance)
    yield chromium
    chromium.close()


class Factories:
    """Small builders for test data; each commits so the API sees it."""

    def user(self, role: str = "engineer", username: str | None = None) -> User:
        name = username or f"{role}{next(_counter)}"
        while username is None and _db.session.scalar(
            sa.select(User.id).where(User.username == name)
        ):
            name = f"{role}{next(_counter)}"  # the demo's users (engineer2, ...) are taken
        user = users.create_user(name, name.title(), role, PASSWORD)
        _db.session.commit()
        return user

    def device(self, type_code: str = "L09", room=None, status: str = "in_service", **kw) -> Device:
        from server.services.core.devices import create_device

        device = create_device(
            type_code=type_code, room_id=room.id if room else None, status=status, **kw
        )
        _db.session.commit()
        return device


@pytest.fixture
def factory(app):
    return Factories()


class AuthClient:
    """A test client signed in as someone; sends the CSRF header on writes."""

    def __init__(self, client, user: User, csrf: str):
        self.client, self.user, self.csrf = client, user, csrf

    def open(self, method: str, url: str, **kwargs):
        headers = dict(kwargs.pop("headers", {}) or {})
        if method.upper() in {"POST", "PUT", "PATCH", "DELETE"}:
            headers.setdefault("X-CSRF-Token", self.csrf)
        return self.client.open(url, method=method.upper(), headers=headers, **kwargs)

    def get(self, url, **kw):
        return self.open("GET", url, **kw)

    def post(self, url, **kw):
        return self.open("POST", url, **kw)

    def put(self, url, **kw):
        return self.open("PUT", url, **kw)

    def patch(self, url, **kw):
        return self.open("PATCH", url, **kw)

    def delete(self, url, **kw):
        return self.open("DELETE", url, **kw)

    def head(self, url, **kw):
        return self.open("HEAD", url, **kw)


@pytest.fixture
def auth(app, factory):
    """auth("admin") -> an AuthClient signed in as a new user with that role."""

    def sign_in(role: str = "engineer", user: User | None = None) -> AuthClient:
        user = user or factory.user(role)
        client = app.test_client()
        response = client.post(
            "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
        )
        assert response.status_code == 200, response.get_json()
        return AuthClient(client, user, response.get_json()["csrf_token"])

    return sign_in
