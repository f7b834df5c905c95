"""The production shape through nginx over HTTPS (tests/prod_stack.py): HTTP/2 and TLS, the
security headers, body limits answered in the error shape, what is cached and what not,
X-Forwarded-For believed only from nginx, round robin over two gunicorn servers, one of
them killed or both reloaded (HUP) under pushes, and the worker running a queued job."""

from __future__ import annotations

import http.client
import json
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests import sync_records as rec
from tests.live_server import PASSWORD, ROOT, HttpClient, server_env
from tests.prod_stack import NGINX_ADDRESS, ssl_context

pytestmark = [pytest.mark.live, pytest.mark.prod]
PUSH = "/api/v1/sync/push"
MiB = 1024 * 1024


@pytest.fixture(scope="module")
def stack_server(prod_stack, live_database_template, tmp_path_factory):
    url, drop = live_database_template.copy(tmp_path_factory.mktemp("stack-db"))
    with prod_stack.serving(url, drop) as server:
        yield server


def pushes(server, count: int) -> list[int]:
    """`count` pushes of a new visit each (signed in once); their HTTP statuses."""
    client = server.client("engineer")
    code = client.get("/api/v1/sync/pull").json()["sites"][0]["code"]
    return [client.post_json(PUSH, {"records": [rec.visit(code)]}).status for _ in range(count)]


def test_tls_http2_and_the_plain_port_redirects(stack_server, prod_stack):
    raw = socket.create_connection(("127.0.0.1", prod_stack.https_port), timeout=10)
    context = ssl_context(prod_stack.ca)  # not the stack's: that one speaks HTTP/1.1
    context.set_alpn_protocols(["h2", "http/1.1"])
    with context.wrap_socket(raw, server_hostname="127.0.0.1") as tls:
        assert tls.selected_alpn_protocol() == "h2"
        assert tls.version() in ("TLSv1.2", "TLSv1.3")
    plain = http.client.HTTPConnection("127.0.0.1", prod_stack.http_port, timeout=10)
    plain.request("GET", "/coverage")
    answer = plain.getresponse()
    assert answer.status == 301
    assert answer.getheader("Location") == "https://127.0.0.1/coverage"
    plain.close()


@pytest.mark.parametrize("path", ["/", "/sw.js", "/static/js/api.js", "/api/v1/auth/me"])
def test_security_headers_and_no_version_banner(stack_server, path):
    answer = stack_server.client().get(path)
    headers = answer.headers
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Strict-Transport-Security"] == "max-age=31536000"
    assert headers["Server"] == "nginx"  # server_tokens off: no version


def test_sign_in_cookies_are_secure(stack_server):
    client = stack_server.client("engineer")
    assert client.jar and all(cookie.secure for cookie in client.jar)


def test_the_service_worker_and_shell_are_uncached_versioned_files_cached_a_year(stack_server):
    client = stack_server.client()
    assert client.get("/sw.js").headers["Cache-Control"] == "no-cache"
    assert client.get("/").headers["Cache-Control"] == "no-cache"
    manifest = client.get("/static/precache-manifest.js").body.decode()
    listed = manifest[manifest.index("__XJ_PRECACHE = ") + len("__XJ_PRECACHE = ") :]
    entry = json.JSONDecoder().raw_decode(listed)[0][0]
    versioned = client.get(f"{entry['url']}?__WB_REVISION__={entry['revision']}")
    assert versioned.status == 200
    assert versioned.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    plain = client.get(entry["url"])
    assert plain.status == 200 and plain.headers["Cache-Control"] == "no-cache"
    assert plain.headers["ETag"]  # revalidated, not fetched again


def test_body_limits_answer_in_the_error_shape(stack_server):
    client = stack_server.client("engineer")
    # The app's own limit (64 KiB for sign-in), passed through nginx.
    small = client.post_json("/api/v1/auth/login", {"username": "x" * 70_000, "password": "p"})
    assert small.status == 413 and small.json()["error"]["code_name"] == "too_large"
    assert "65536 bytes" in small.json()["error"]["message"]
    # A photo one byte over PHOTO_MAX_BYTES: the app's answer, nginx allows 16 MiB there.
    sha = "0" * 64
    photo = client.request(
        "PUT", f"/api/v1/photos/{sha}", b"\xff" * (15 * MiB + 1), {"Content-Type": "image/jpeg"}
    )
    assert photo.status == 413 and photo.json()["error"]["code_name"] == "too_large"
    # Past nginx's own limit (9 MiB outside photos): nginx answers, in the same shape.
    big = client.request("POST", PUSH, b"x" * (10 * MiB), {"Content-Type": "application/json"})
    assert big.status == 413 and big.json()["error"]["code_name"] == "too_large"
    assert client.request("TRACE", "/").status == 405


def _last_sign_in_address(server) -> str:
    engine = server.engine()
    try:
        with engine.connect() as conn:
            return conn.scalar(sa.text("select address from user_session order by id desc limit 1"))
    finally:
        engine.dispose()


def test_x_forwarded_for_is_believed_from_nginx_only(stack_server):
    body = json.dumps({"username": "viewer", "password": PASSWORD}).encode()
    headers = {"Content-Type": "application/json", "X-Forwarded-For": "203.0.113.7"}
    via_nginx = stack_server.client().request("POST", "/api/v1/auth/login", body, headers)
    assert via_nginx.status == 200
    # nginx replaced the forged header by the real peer, and the app believed nginx (else it
    # would have seen nginx's own address, NGINX_ADDRESS).
    assert _last_sign_in_address(stack_server) == "127.0.0.1"
    around_nginx = HttpClient(stack_server.servers[0].base_url)  # straight to gunicorn
    assert around_nginx.request("POST", "/api/v1/auth/login", body, headers).status == 200
    assert _last_sign_in_address(stack_server) == "127.0.0.1"  # the peer, not the header
    assert NGINX_ADDRESS == "127.0.0.2"  # the app trusts only this peer (FORWARDED_ALLOW_IPS)


def test_requests_alternate_between_both_servers(stack_server):
    before = [s.requests_served(PUSH) for s in stack_server.servers]
    assert pushes(stack_server, 10) == [200] * 10
    served = [s.requests_served(PUSH) - b for s, b in zip(stack_server.servers, before)]
    assert sum(served) == 10 and min(served) >= 3, served


def test_one_server_killed_the_other_serves_every_request(stack_server):
    first = stack_server.servers[0]
    first.kill()
    try:
        assert pushes(stack_server, 8) == [200] * 8  # refused connections go to the other one
    finally:
        first.start()


def test_a_reload_of_both_servers_under_pushes_loses_no_request(stack_server):
    statuses, stop = [], threading.Event()

    def push_until_stopped():
        client = stack_server.client("engineer")
        code = client.get("/api/v1/sync/pull").json()["sites"][0]["code"]
        while not stop.is_set():
            statuses.append(client.post_json(PUSH, {"records": [rec.visit(code)]}).status)

    pusher = threading.Thread(target=push_until_stopped)
    pusher.start()
    try:
        for server in stack_server.servers:
            old_workers = _workers(server)
            server.proc.send_signal(signal.SIGHUP)  # systemctl reload xunjian-web
            _wait_until(lambda s=server, old=old_workers: _workers(s) - old, "new workers")
            _wait_until(lambda s=server, old=old_workers: not (_workers(s) & old), "old gone")
    finally:
        stop.set()
        pusher.join(timeout=60)
    assert statuses and set(statuses) == {200}, statuses


def _workers(server) -> set[int]:
    pid = server.proc.pid
    return set(map(int, Path(f"/proc/{pid}/task/{pid}/children").read_text().split()))


def _wait_until(condition, what: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"no {what} within {seconds} s"
        time.sleep(0.1)


ENQUEUE = """
from server import create_app
from server.extensions import db
from server.services import jobs
app = create_app()
with app.app_context():
    job, _ = jobs.start("probe", {"log": %r, "steps": 2})
    db.session.commit()
    print(job.id)
"""


def test_the_worker_runs_a_job_queued_on_redis(stack_server, prod_stack, tmp_path):
    env = server_env(stack_server.db_url, tmp_path, prod_stack.app_env(tmp_path))
    env.pop("XJ_LIVE_CONFIG", None)
    log = tmp_path / "probe.log"
    job_id = subprocess.run(
        [sys.executable, "-c", ENQUEUE % str(log)],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.strip()
    admin = stack_server.client("admin")
    _wait_until(lambda: admin.get(f"/api/v1/jobs/{job_id}").json()["status"] == "done", "job")
    [line] = log.read_text().splitlines()
    assert line.split() == [job_id, str(stack_server.worker.pid)]  # run by the worker process


def test_health_of_each_app_server(stack_server):
    for server in stack_server.servers:
        with urllib.request.urlopen(server.base_url + "/api/v1/health", timeout=10) as answer:
            assert answer.status == 200
