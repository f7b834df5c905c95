"""The production shape on this machine, for tests: nginx with a local certificate
(scripts/make_cert.sh) in front of two gunicorn servers (deploy/gunicorn.conf.py, the
production settings) on one fresh PostgreSQL database, the worker, and a Redis of its own.
Every port is a free one; deploy/nginx/xunjian.conf is served as it is, only its ports,
paths and addresses substituted.

    with ProdStack(tmp_dir) as stack:                  # nginx, Redis, certificate
        with stack.serving(db_url, drop) as server:    # two app servers + the worker
            server.client("engineer").post_json(...)   # HTTPS through nginx

`server` offers what tests/live_server.LiveServer does (client, stop, start(**config), kill,
wait_for_log, engine, photo_dir, open_socket), so the live fault tests run on either.
PHOTO_STORE from the environment (an s3:// store) is passed to the app servers unchanged.
The pytest fixtures (prod_stack, prod_server, a parametrised live_server) are in
tests/prod_fixtures.py.
"""

from __future__ import annotations

import os
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.live_server import (
    ROOT,
    START_SECONDS,
    STOP_SECONDS,
    HttpClient,
    LiveServer,
    free_port,
    server_env,
)

SITE = ROOT / "deploy" / "nginx" / "xunjian.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
NGINX = "/usr/sbin/nginx"
# nginx reaches the app servers from this address (proxy_bind), the only one they trust
# X-Forwarded-* from: a request from 127.0.0.1 straight to an app server is not nginx.
NGINX_ADDRESS = "127.0.0.2"
SECRET_KEY = "prod-stack-" + "k" * 40


def ssl_context(ca: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(ca))


class HttpsClient(HttpClient):
    """The live tests' client over HTTPS, trusting the stack's local certificate authority."""

    def __init__(self, base_url: str, context: ssl.SSLContext):
        super().__init__(base_url)
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar),
            urllib.request.HTTPSHandler(context=context),
        )


class AppServer(LiveServer):
    """One gunicorn server with the production config, on a fixed port (nginx's upstream)."""

    def __init__(self, tmp_dir: Path, db_url: str, port: int, env: dict):
        super().__init__(tmp_dir, db_url, env)
        self.port, self.base_env = port, dict(env)

    def command(self) -> list[str]:
        gunicorn = str(Path(sys.executable).with_name("gunicorn"))
        return [gunicorn, "--config", str(GUNICORN_CONF)]

    def _start_once(self, config: dict) -> bool:
        # Config keys the app reads from the environment (SYNC_FAULT_PAUSE_SECONDS, ...).
        self.env = {**self.base_env, **{key: str(value) for key, value in config.items()}}
        self.env["GUNICORN_BIND"] = f"127.0.0.1:{self.port}"
        self.env["GUNICORN_ACCESS_LOG"] = str(self.tmp_dir / "access.log")
        self._log_start = self.log_path.stat().st_size if self.log_path.exists() else 0
        return super()._start_once({})

    def logged_since_start(self, text: str) -> bool:
        return text in self._log_tail(getattr(self, "_log_start", 0), None)

    def requests_served(self, path: str) -> int:
        log = self.tmp_dir / "access.log"
        return log.read_text().count(f" {path} ") if log.exists() else 0

    def kill(self) -> None:
        """SIGKILL to the master and its workers at once: what a power cut does."""
        if self.proc and self.proc.poll() is None:
            pid = self.proc.pid
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            for child in [pid, *map(int, children)]:
                os.kill(child, signal.SIGKILL)
            self.proc.wait(timeout=STOP_SECONDS)
            # Gone only when no worker holds the listening socket any more (else the kernel
            # still queues connections on it, and resets them when the last one dies).
            _wait(lambda: not _connects(self.port), f"the end of the server on {self.port}")


class StackServer:
    """The app as a phone reaches it: https://127.0.0.1:<nginx port>."""

    def __init__(self, stack: ProdStack, db_url: str, servers: list[AppServer], worker):
        self.stack, self.db_url, self.servers, self.worker = stack, db_url, servers, worker
        self.port = stack.https_port
        self.photo_dir = servers[0].photo_dir
        self.seeded = None
        self._logged: AppServer | None = None

    @property
    def base_url(self) -> str:
        return f"https://127.0.0.1:{self.port}"

    def client(self, username: str | None = None) -> HttpsClient:
        client = HttpsClient(self.base_url, self.stack.context)
        return client.login(username) if username else client

    def open_socket(self) -> socket.socket:
        """A TLS connection to nginx, for tests that write raw HTTP (a cut upload)."""
        raw = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        return self.stack.context.wrap_socket(raw, server_hostname="127.0.0.1")

    def start(self, **config) -> StackServer:
        """(Re)start both app servers, each with `config` (environment settings)."""
        self.stop()
        for server in self.servers:
            server.start(**config)
        return self

    def stop(self) -> None:
        for server in self.servers:
            server.stop()

    def kill(self) -> None:
        """kill -9 of the server that logged what wait_for_log waited for (else both)."""
        for server in [self._logged] if self._logged else self.servers:
            server.kill()
        self._logged = None

    def wait_for_log(self, text: str, seconds: float = START_SECONDS) -> None:
        deadline = time.monotonic() + seconds
        while not (logged := [s for s in self.servers if s.logged_since_start(text)]):
            if time.monotonic() > deadline:
                raise TimeoutError(f"{text!r} logged by no app server within {seconds} s")
            time.sleep(0.05)
        self._logged = logged[0]

    def engine(self) -> sa.Engine:
        return sa.create_engine(self.db_url)


class ProdStack:
    """nginx (this repository's site), a Redis of its own and a local certificate."""

    def __init__(self, tmp_dir: Path):
        self.tmp_dir = tmp_dir
        self.https_port, self.http_port = free_port(), free_port()
        self.app_ports = [free_port(), free_port()]
        self.redis_port = free_port()
        self.procs: list[subprocess.Popen] = []

    def __enter__(self) -> ProdStack:
        try:
            self._make_cert()
            self._start_redis()
            self._start_nginx()
        except BaseException:
            self.__exit__()
            raise
        return self

    def __exit__(self, *exc) -> None:
        if (self.tmp_dir / "nginx.pid").exists():
            subprocess.run([NGINX, *self._nginx_args(), "-s", "stop"], check=False)
        for proc in reversed(self.procs):
            _stop(proc)

    def _make_cert(self) -> None:
        certs = self.tmp_dir / "certs"
        subprocess.run([ROOT / "scripts/make_cert.sh", certs], check=True, capture_output=True)
        self.ca = certs / "ca.pem"
        self.context = ssl_context(self.ca)

    def _start_redis(self) -> None:
        args = ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1"]
        args += ["--save", "", "--appendonly", "no", "--dir", str(self.tmp_dir)]
        self.procs.append(subprocess.Popen(args, stdout=subprocess.DEVNULL))
        _wait(lambda: _connects(self.redis_port), "redis-server")

    def site_conf(self) -> str:
        """deploy/nginx/xunjian.conf with this stack's ports, paths and addresses."""
        certs = self.tmp_dir / "certs"
        swaps = {
            "listen 80;": f"listen 127.0.0.1:{self.http_port};",
            "listen [::]:80;": "",
            "listen 443 ssl http2;": f"listen 127.0.0.1:{self.https_port} ssl http2;",
            "listen [::]:443 ssl http2;": "",
            "server 127.0.0.1:8000 ": f"server 127.0.0.1:{self.app_ports[0]} ",
            "server 127.0.0.1:8001 ": f"server 127.0.0.1:{self.app_ports[1]} ",
            "/etc/xunjian/tls/fullchain.pem": str(certs / "cert.pem"),
            "/etc/xunjian/tls/privkey.pem": str(certs / "key.pem"),
            "root /var/www/letsencrypt;": f"root {self.tmp_dir};",
            "proxy_http_version 1.1; ": f"proxy_bind {NGINX_ADDRESS};\n    proxy_http_version 1.1; ",
        }
        text = SITE.read_text()
        for old, new in swaps.items():
            assert old in text, f"{SITE} no longer has {old!r}: update tests/prod_stack.py"
            text = text.replace(old, new)
        return text

    def _nginx_args(self) -> list[str]:
        return ["-p", str(self.tmp_dir), "-c", str(self.tmp_dir / "nginx.conf"), "-e", "stderr"]

    def _start_nginx(self) -> None:
        tmp = self.tmp_dir
        (tmp / "site.conf").write_text(self.site_conf())
        user = "user root;\n" if os.geteuid() == 0 else ""  # temp files in a private tmp dir
        temps = "".join(
            f"    {kind}_temp_path {tmp / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        (tmp / "nginx.conf").write_text(
            f"{user}worker_processes 1;\npid {tmp / 'nginx.pid'};\n"
            f"error_log {tmp / 'nginx-error.log'} warn;\nevents {{ worker_connections 512; }}\n"
            f"http {{\n    include /etc/nginx/mime.types;\n"
            f"    access_log {tmp / 'nginx-access.log'};\n{temps}"
            f"    include {tmp / 'site.conf'};\n}}\n"
        )
        subprocess.run([NGINX, *self._nginx_args(), "-t", "-q"], check=True)
        args = [NGINX, *self._nginx_args(), "-g", "daemon off;"]
        with open(tmp / "nginx-stderr.log", "ab") as log:
            self.procs.append(subprocess.Popen(args, stdout=log, stderr=log))
        _wait(lambda: _connects(self.https_port), "nginx")

    def app_env(self, tmp_dir: Path) -> dict:
        """What a systemd unit's environment file would hold (.env.example), for this stack."""
        store = os.environ.get("PHOTO_STORE") or str(tmp_dir / "photos")
        return {
            "XUNJIAN_ENV": "production",
            "SECRET_KEY": SECRET_KEY,
            "TASK_QUEUE_URL": f"redis://127.0.0.1:{self.redis_port}/0",
            "PHOTO_STORE": store,
            "ATTACHMENT_STORE": str(tmp_dir / "attachments"),
            "JOB_FILES": str(tmp_dir / "jobs"),
            "PROXY_FIX_X_FOR": "1",
            "FORWARDED_ALLOW_IPS": NGINX_ADDRESS,
            "LABEL_URL_BASE": f"https://127.0.0.1:{self.https_port}",
            "GUNICORN_WORKERS": "1",  # two servers of one worker: this machine has 2 cores
            "GUNICORN_THREADS": "8",
            "GUNICORN_WORKER_TMP_DIR": str(tmp_dir),
            "GUNICORN_CONTROL_SOCKET": "",
            "GUNICORN_GRACEFUL_TIMEOUT": "5",  # the tests' stops stay bounded
        }

    @contextmanager
    def serving(self, db_url: str, drop=lambda: None, env: dict | None = None):
        """Two app servers and the worker on a prepared database; stopped, then dropped."""
        servers, worker = [], None
        base = self.tmp_dir / f"app-{free_port()}"
        app_env = {**self.app_env(base), **(env or {})}
        try:
            for n, port in enumerate(self.app_ports):
                server_dir = base / f"web{n + 1}"
                server_dir.mkdir(parents=True)
                server = AppServer(server_dir, db_url, port, app_env)
                server.photo_dir = Path(app_env["PHOTO_STORE"])  # one store for both
                servers.append(server.start())
            worker = self._start_worker(base, db_url, app_env)
            yield StackServer(self, db_url, servers, worker)
        finally:
            for server in servers:
                server.stop()
            if worker is not None:
                _stop(worker, signal.SIGINT)
            drop()

    def _start_worker(self, base: Path, db_url: str, app_env: dict) -> subprocess.Popen:
        env = server_env(db_url, base / "worker", app_env, Path(app_env["PHOTO_STORE"]))
        (base / "worker").mkdir()
        with open(base / "worker.log", "ab") as log:
            return subprocess.Popen(
                [sys.executable, "-m", "server.cli", "worker"],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )


def _connects(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
        return True
    except OSError:
        return False


def _wait(ready, what: str) -> None:
    deadline = time.monotonic() + START_SECONDS
    while not ready():
        if time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not come up within {START_SECONDS} s")
        time.sleep(0.05)


def _stop(proc: subprocess.Popen, signum: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        proc.send_signal(signum)
        try:
            proc.wait(timeout=STOP_SECONDS)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=STOP_SECONDS)
