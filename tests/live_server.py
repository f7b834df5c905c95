"""The one way tests (and benches) run a real server process over HTTP: a fresh database
migrated by Alembic, reference data (or the demo province) and users, optional extra
seeding, `python -m tests.live_runner` on a free port, always stopped.

    from tests.live_server import live_database_template, live_server  # fixtures

    def test_x(live_server):                           # reference data, a copy per test
        engineer = live_server.client("engineer")      # signed-in HTTP client
        engineer.post_json("/api/v1/sync/push", {...})

    @pytest.fixture(scope="module")                    # anything else: serve(...)
    def server(tmp_path_factory):
        with serve(tmp_path_factory.mktemp("x"), demo=True, seed=add_visits,
                   env={"LABEL_URL_BASE": "https://xj.example.cn"}) as live:
            yield live                                 # live.seeded: what `seed` returned

On SQLite (default) the database is a file; when TEST_DATABASE_URL is PostgreSQL a fresh
database is created next to it and dropped afterwards. Tests using a live server are
marked `db` (tests/conftest.py), so CI repeats them on PostgreSQL.
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
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import sqlalchemy as sa

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "live-password-9"
USERS = {
    "engineer": "engineer",
    "engineer2": "engineer",
    "supervisor": "supervisor",
    "viewer": "viewer",
    "admin": "admin",
}
START_SECONDS = 60  # generous: the machine may be busy with other test runs
STOP_SECONDS = 10
SEED_SECONDS = 300

Seed = Callable[[], object] | str | None


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

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict | None = None,
        timeout: float = 30,
    ) -> Response:
        headers = dict(headers or {})
        if method in ("POST", "PUT", "PATCH", "DELETE") and self.csrf:
            headers.setdefault("X-CSRF-Token", self.csrf)
        req = urllib.request.Request(
            self.base_url + path, data=body, method=method, headers=headers
        )
        try:
            with self.opener.open(req, timeout=timeout) as resp:
                return Response(resp.status, resp.read(), resp.headers)
        except urllib.error.HTTPError as err:
            return Response(err.code, err.read(), err.headers)

    def post_json(self, path: str, payload, timeout: float = 60) -> Response:
        return self.request(
            "POST",
            path,
            json.dumps(payload).encode(),
            {"Content-Type": "application/json"},
            timeout,
        )

    def get(self, path: str) -> Response:
        return self.request("GET", path)

    def login(self, username: str, password: str = PASSWORD) -> HttpClient:
        response = self.post_json(
            "/api/v1/auth/login", {"username": username, "password": password}
        )
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
    return create_pg_database(sa.engine.make_url(base))


def create_pg_database(server_url: sa.URL, template: str | None = None) -> tuple[str, callable]:
    """A new PostgreSQL database on that server (a copy of `template` if given), and its drop."""
    # Named after the configured database (a session's own prefix), else xj_live.
    name = f"{server_url.database or 'xj_live'}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(server_url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as conn:
        conn.execute(sa.text(f'CREATE DATABASE "{name}"{copy}'))

    def drop():
        with admin.connect() as conn:
            conn.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server_url.set(database=name).render_as_string(hide_password=False), drop


def app_for(url: str):
    """An app in this process on that database (test settings), for preparing it."""
    from server import create_app
    from server.config import TestConfig

    class PrepareConfig(TestConfig):
        def __init__(self) -> None:
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url

    return create_app(PrepareConfig)


def prepare_database(url: str, demo: bool = False, seed: Seed = None, env: dict | None = None):
    """Migrate with Alembic, load reference data (or the demo province) and the live users,
    then run `seed`: a callable (in an app context here; its commit is done for it) or the
    source of a Python script (run with the server's environment; its stdout is returned)."""
    from flask_migrate import upgrade

    from server.extensions import db
    from server.models import User
    from server.services import demo as demo_service
    from server.services.core import reference, users

    app = app_for(url)
    # A demo server runs in demo mode unless env says XUNJIAN_DEMO=0 (the first sign-in test).
    app.config["DEMO_MODE"] = (env or {}).get("XUNJIAN_DEMO", "1") == "1"
    seeded = None
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
        if callable(seed):
            seeded = seed()
            db.session.commit()
        db.session.remove()
        db.engine.dispose()
    if isinstance(seed, str):
        with tempfile.TemporaryDirectory(prefix="xj-seed-") as instance:
            seeded = subprocess.run(
                [sys.executable, "-c", seed],
                cwd=ROOT,
                check=True,
                text=True,
                capture_output=True,
                timeout=SEED_SECONDS,
                env=server_env(url, Path(instance), env),
            ).stdout.strip()
    return seeded


def server_env(
    db_url: str,
    instance: Path,
    extra: dict | None = None,
    photo_dir: Path | None = None,
    config: dict | None = None,
) -> dict:
    """The environment of a server process (or seed script) on that database."""
    env = dict(
        os.environ,
        DATABASE_URL=db_url,
        SECRET_KEY="live-secret",
        PHOTO_STORE=str(photo_dir or instance / "photos"),
        XUNJIAN_INSTANCE=str(instance),
        PYTHONPATH=str(ROOT),
        XJ_LIVE_CONFIG=json.dumps(config or {}),
    )
    env.setdefault("PHOTO_MAX_BYTES", str(15 * 1024 * 1024))
    env.update(extra or {})
    return env


class LiveServer:
    """One server process; stop(), kill() (SIGKILL) and start() again on the same database.
    `env` adds or overrides environment variables of the process (e.g. LABEL_URL_BASE)."""

    def __init__(self, tmp_dir: Path, db_url: str, env: dict | None = None):
        self.tmp_dir, self.db_url, self.env = tmp_dir, db_url, dict(env or {})
        self.photo_dir = tmp_dir / "photos"
        self.port = free_port()
        self.proc: subprocess.Popen | None = None
        self.log_path = tmp_dir / "server.log"
        self.seeded = None  # what serve()'s `seed` returned

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, **config) -> LiveServer:
        """Start on this port (another free one if it was taken meanwhile); wait for health."""
        for _ in range(3):
            if self._start_once(config):
                return self
            self.port = free_port()
        raise RuntimeError(f"no free port to serve on: {self._log_tail()}")

    def _start_once(self, config: dict) -> bool:
        env = server_env(self.db_url, self.tmp_dir, self.env, self.photo_dir, config)
        env.setdefault("LABEL_URL_BASE", self.base_url)  # labels printed by this server point at it
        log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                self.command(), cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )
        deadline = time.monotonic() + START_SECONDS
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                if "Address already in use" in self._log_tail(log_start):
                    return False
                raise RuntimeError(f"server exited: {self._log_tail(log_start)}")
            try:
                with urllib.request.urlopen(self.base_url + "/api/v1/health", timeout=2):
                    return True
            except (urllib.error.URLError, ConnectionError, OSError):
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"server did not come up within {START_SECONDS} s: {self._log_tail()}")

    def command(self) -> list[str]:
        """The server process (a bench may serve with another WSGI server)."""
        return [sys.executable, "-m", "tests.live_runner", str(self.port)]

    def wait_for_log(self, text: str, seconds: float = START_SECONDS) -> None:
        """Wait until the server has written `text` to its log (an event, not a guessed delay)."""
        deadline = time.monotonic() + seconds
        while text not in self._log_tail(0, None):
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"{text!r} not in the server log within {seconds} s: {self._log_tail()}"
                )
            time.sleep(0.05)

    def _log_tail(self, start: int = 0, size: int | None = 2000) -> str:
        if not self.log_path.exists():
            return ""
        data = self.log_path.read_bytes()[start:]
        return (data[-size:] if size else data).decode(errors="replace")

    def client(self, username: str | None = None) -> HttpClient:
        client = HttpClient(self.base_url)
        return client.login(username) if username else client

    def open_socket(self) -> socket.socket:
        """A connection for tests that write raw HTTP (a cut upload)."""
        return socket.create_connection(("127.0.0.1", self.port), timeout=10)

    def kill(self) -> None:
        """SIGKILL: no cleanup, no commit; what a power cut does."""
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGKILL)
            self.proc.wait(timeout=STOP_SECONDS)

    def stop(self) -> None:
        """SIGTERM, then SIGKILL if it has not gone within STOP_SECONDS."""
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=STOP_SECONDS)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=STOP_SECONDS)

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
        try:
            prepare_database(self.url)
        except BaseException:
            self._drop()
            raise

    def copy(self, tmp_dir: Path) -> tuple[str, callable]:
        url = sa.engine.make_url(self.url)
        if url.get_backend_name() == "sqlite":
            target = tmp_dir / "live.db"
            shutil.copyfile(url.database, target)
            return f"sqlite:///{target}", lambda: None
        return create_pg_database(url, template=url.database)

    def drop(self) -> None:
        self._drop()


@contextmanager
def serving(
    tmp_dir: Path,
    db_url: str,
    drop: Callable[[], None] = lambda: None,
    env: dict | None = None,
    config: dict | None = None,
    seeded=None,
) -> Iterator[LiveServer]:
    """Serve a prepared database; always stop the process and then drop the database."""
    server = None
    try:
        server = LiveServer(tmp_dir, db_url, env)
        server.seeded = seeded
        yield server.start(**(config or {}))
    finally:
        if server is not None:
            server.stop()
        drop()


@contextmanager
def serve(
    tmp_dir: Path,
    *,
    demo: bool = False,
    seed: Seed = None,
    env: dict | None = None,
    config: dict | None = None,
) -> Iterator[LiveServer]:
    """A fresh database (file SQLite, or PostgreSQL when TEST_DATABASE_URL is), prepared by
    prepare_database(demo, seed), served with `env` and app `config` overrides."""
    url, drop = database_url(tmp_dir)
    if demo:
        env = {"XUNJIAN_DEMO": "1", **(env or {})}
    try:
        seeded = prepare_database(url, demo=demo, seed=seed, env=env)
    except BaseException:
        drop()
        raise
    with serving(tmp_dir, url, drop, env, config, seeded) as server:
        yield server


@pytest.fixture(scope="session")
def live_database_template(tmp_path_factory):
    template = DatabaseTemplate(tmp_path_factory.mktemp("live-template"))
    yield template
    template.drop()


@pytest.fixture
def live_server(tmp_path, live_database_template):
    """A migrated database with reference data and users, served over HTTP; killed afterwards."""
    url, drop = live_database_template.copy(tmp_path)
    with serving(tmp_path, url, drop) as server:
        yield server
