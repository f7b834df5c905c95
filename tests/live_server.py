"""A real server process over HTTP for live tests (and benches): fresh migrated database,
reference data and users, `python -m tests.live_runner` on a free port, always killed.

    def test_x(live_server):
        engineer = live_server.client("engineer")      # signed-in HTTP client
        engineer.post_json("/api/v1/sync/push", {...})

On SQLite (default) the database is a file; when TEST_DATABASE_URL is PostgreSQL a fresh
database is created next to it and dropped afterwards.
"""
from __future__ import annotations

import http.cookiejar
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "live-password-9"
USERS = {"engineer": "engineer", "engineer2": "engineer", "supervisor": "supervisor",
         "viewer": "viewer", "admin": "admin"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Response:
    def __init__(self, status: int, body: bytes, headers):
        self.status, self.body, self.headers = status, body, headers

    def json(self):
        return json.loads(self.body)


class HttpClient:
    """A cookie-keeping HTTP client that sends the CSRF header on writes (stdlib only)."""

    def __init__(self, base_url: str):
        self.base_url = base_url
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.csrf = ""

    def request(self, method: str, path: str, body: bytes | None = None,
                headers: dict | None = None, timeout: float = 30) -> Response:
        headers = dict(headers or {})
        if method in ("POST", "PUT", "PATCH", "DELETE") and self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        req = urllib.request.Request(self.base_url + path, data=body, method=method, headers=headers)
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return Response(resp.status, resp.read(), resp.headers)
        except urllib.error.HTTPError as err:
            return Response(err.code, err.read(), err.headers)

    def post_json(self, path: str, payload, timeout: float = 60) -> Response:
        return self.request("POST", path, json.dumps(payload).encode(),
                            {"Content-Type": "application/json"}, timeout)

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def login(self, username: str, password: str = PASSWORD) -> HttpClient:
        response = self.post_json("/api/v1/auth/login", {"username": username, "password": password})
        assert response.status == 200, response.body
        self.csrf = response.json()["csrf_token"]
        return self

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def database_url(tmp_dir: Path) -> tuple[str, callable]:
    """A fresh database of the kind of TEST_DATABASE_URL, and how to drop it."""
    base = os.environ.get("TEST_DATABASE_URL", "")
    if not base.startswith("postgresql"):
        return f"sqlite:///{tmp_dir / 'live.db'}", lambda: None
    name = f"xj_live_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return sa.engine.make_url(base).set(database=name).render_as_string(hide_password=False), drop


def prepare_database(url: str, demo: bool = False) -> None:
    """Migrate with Alembic, load reference data (or the demo province) and the live users."""
    from flask_migrate import upgrade

    from server import create_app
    from server.config import TestConfig
    from server.extensions import db
    from server.models import User
    from server.services import demo as demo_service
    from server.services import reference, users

    class PrepareConfig(TestConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url

    app = create_app(PrepareConfig)
    with app.app_context():
        upgrade()
        if demo:
            demo_service.seed_demo()
        else:
            sites = reference.seed_regions_and_sites()
            reference.seed_rooms(sites)
            reference.seed_device_types()
            reference.seed_checklists()
        for username, role in USERS.items():
            if not db.session.scalar(sa.select(User.id).where(User.username == username)):
                users.create_user(username, username.title(), role, PASSWORD)
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


class LiveServer:
    """One server process; stop(), kill() (SIGKILL) and start() again on the same database."""

    def __init__(self, tmp_dir: Path, db_url: str):
        self.tmp_dir, self.db_url = tmp_dir, db_url
        self.photo_dir = tmp_dir / "photos"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.proc: subprocess.Popen | None = None
        self.log_path = tmp_dir / "server.log"

    def start(self, **config) -> LiveServer:
        env = dict(os.environ, DATABASE_URL=self.db_url, SECRET_KEY="live-secret",
                   PHOTO_STORE=str(self.photo_dir), XUNJIAN_INSTANCE=str(self.tmp_dir),
                   PYTHONPATH=str(ROOT), XJ_LIVE_CONFIG=json.dumps(config))
        env.setdefault("LABEL_URL_BASE", self.base_url)  # labels printed by this server point at it
        env.setdefault("PHOTO_MAX_BYTES", str(15 * 1024 * 1024))
        log = open(self.log_path, "ab")
        self.proc = subprocess.Popen([sys.executable, "-m", "tests.live_runner", str(self.port)],
                                     cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        log.close()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_path.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(self.base_url + "/api/v1/health", timeout=1):
                    return self
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError("server did not come up within 20 s")

    def client(self, username: str | None = None) -> HttpClient:
        client = HttpClient(self.base_url)
        return client.login(username) if username else client

    def kill(self) -> None:
        """SIGKILL: no cleanup, no commit; what a power cut does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.db_url)

    def peak_rss_kb(self) -> int:
        return _status_kb(self.proc.pid, "VmHWM")

    def rss_kb(self) -> int:
        return _status_kb(self.proc.pid, "VmRSS")

    def reset_peak_rss(self) -> None:
        Path(f"/proc/{self.proc.pid}/clear_refs").write_text("5")


def _status_kb(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


class DatabaseTemplate:
    """One migrated, seeded database per test session; each test gets a fresh copy of it
    (a file copy on SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL)."""

    def __init__(self, tmp_dir: Path):
        self.tmp_dir = tmp_dir
        self.url, self._drop = database_url(tmp_dir)
        prepare_database(self.url)

    def copy(self, tmp_dir: Path) -> tuple[str, callable]:
        url = sa.engine.make_url(self.url)
        if url.get_backend_name() == "sqlite":
            target = tmp_dir / "live.db"
            shutil.copyfile(url.database, target)
            return f"sqlite:///{target}", lambda: None
        name = f"xj_live_{uuid.uuid4().hex[:8]}"
        admin = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(sa.text(f'CREATE DATABASE "{name}" TEMPLATE "{url.database}"'))

        def drop():
            with admin.connect() as conn:
                conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()

        return url.set(database=name).render_as_string(hide_password=False), drop

    def drop(self) -> None:
        self._drop()


@pytest.fixture(scope="session")
def live_database_template(tmp_path_factory):
    template = DatabaseTemplate(tmp_path_factory.mktemp("live-template"))
    yield template
    template.drop()


@pytest.fixture
def live_server(tmp_path, live_database_template):
    """A migrated database with reference data and users, served over HTTP; killed afterwards."""
    url, drop = live_database_template.copy(tmp_path)
    server = None
    try:
        server = LiveServer(tmp_path, url).start()
        yield server
    finally:
        if server is not None:
            server.stop()
        drop()
