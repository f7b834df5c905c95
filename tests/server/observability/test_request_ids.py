"""The request id: taken from a sane X-Request-Id or made, answered in the header, on every log
line of the request (JSON or text), in every error body; the access line; the job id on task lines."""

from __future__ import annotations

import io
import json
import logging
import re
from contextlib import contextmanager

import pytest

from server import create_app
from server.config import TestConfig
from server.observability import context, logs

HEX32 = re.compile(r"^[0-9a-f]{32}$")


@contextmanager
def captured(fmt: str = "json"):
    """The lines our handler would write, in that format (added beside the installed one)."""
    stream = io.StringIO()
    handler = logs.make_handler(fmt, stream)
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield stream
    finally:
        root.removeHandler(handler)


def json_lines(stream: io.StringIO) -> list[dict]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


@pytest.fixture(scope="module")
def logging_app():
    """An app of its own with a route that logs inside the request (added before any request)."""
    app = create_app(TestConfig)

    def noisy(n):
        logging.getLogger("server.noisy").warning("something odd in %s", "the view")
        return {"ok": True}

    app.add_url_rule("/noisy/<int:n>", "noisy", noisy)
    return app


@pytest.mark.parametrize(
    "incoming",
    ["f3b0c4421f0a4c6e9d3e2b1a0c9d8e7f", "req-2026.12.03:abc_1", "a"],
)
def test_a_sane_incoming_id_is_kept_and_answered(client, incoming):
    response = client.get("/api/v1/health", headers={"X-Request-Id": incoming})
    assert response.headers["X-Request-Id"] == incoming


@pytest.mark.parametrize(
    "incoming",
    ["", "has space", "x" * 129, "semi;colon", '"quoted"', "-leading-dash", "中文编号"],
)
def test_an_insane_or_missing_id_is_replaced(client, incoming):
    headers = {"X-Request-Id": incoming} if incoming else {}
    response = client.get("/api/v1/health", headers=headers)
    assert HEX32.match(response.headers["X-Request-Id"])
    assert response.headers["X-Request-Id"] != incoming


def test_each_request_gets_its_own_id(client):
    ids = {client.get("/api/v1/health").headers["X-Request-Id"] for _ in range(3)}
    assert len(ids) == 3


@pytest.mark.parametrize(
    "method,url,status",
    [
        ("GET", "/api/v1/no-such-thing", 404),
        ("GET", "/api/v1/devices", 401),
        ("POST", "/api/v1/auth/login", 422),
        ("DELETE", "/api/v1/health", 405),
    ],
)
def test_every_error_body_carries_the_request_id(client, method, url, status):
    response = client.open(url, method=method, json={}, headers={"X-Request-Id": "quote-me-42"})
    assert response.status_code == status
    assert response.get_json()["error"]["request_id"] == "quote-me-42"
    assert response.headers["X-Request-Id"] == "quote-me-42"


def test_a_413_from_the_first_hook_has_the_id_too(client):
    body = b"x" * (2 * 1024 * 1024)
    response = client.post(
        "/api/v1/auth/login",
        data=body,
        content_type="application/json",
        headers={"X-Request-Id": "big-body-1"},
    )
    assert response.status_code == 413
    assert response.get_json()["error"]["request_id"] == "big-body-1"


def test_every_log_line_of_a_request_has_its_id(logging_app):
    client = logging_app.test_client()
    with captured() as stream:
        response = client.get("/noisy/7", headers={"X-Request-Id": "trace-noisy-7"})
        other = client.get("/noisy/8").headers["X-Request-Id"]
    assert response.status_code == 200
    lines = json_lines(stream)
    mine = [line for line in lines if line.get("request_id") == "trace-noisy-7"]
    assert [line["logger"] for line in mine] == ["server.noisy", "xunjian.access"]
    assert mine[0]["msg"] == "something odd in the view" and mine[0]["level"] == "WARNING"
    assert {line["request_id"] for line in lines} == {"trace-noisy-7", other}
    assert all(line["ts"].endswith("Z") for line in lines)


def test_the_access_line_names_route_status_duration_and_user(auth, app):
    engineer = auth("engineer")
    with captured() as stream:
        engineer.get("/api/v1/devices/XJ-NOPE", headers={"X-Request-Id": "access-1"})
    (line,) = [x for x in json_lines(stream) if x["logger"] == "xunjian.access"]
    assert line["request_id"] == "access-1"
    assert line["method"] == "GET" and line["status"] == 404
    assert line["route"] == "/api/v1/devices/<tag>" and line["path"] == "/api/v1/devices/XJ-NOPE"
    assert line["user_id"] == engineer.user.id
    assert isinstance(line["duration_ms"], float) and line["duration_ms"] >= 0


def test_an_anonymous_unmatched_request_logs_no_user_and_no_route(client):
    with captured() as stream:
        client.get("/api/v1/nothing/here")
    (line,) = [x for x in json_lines(stream) if x["logger"] == "xunjian.access"]
    assert line["user_id"] is None and line["route"] == "<unmatched>" and line["status"] == 404


def test_the_text_format_is_readable_and_carries_the_id(logging_app):
    with captured("text") as stream:
        logging_app.test_client().get("/noisy/1", headers={"X-Request-Id": "text-req-1"})
    text = stream.getvalue().splitlines()
    assert any("WARNING server.noisy [req text-req-1] something odd in the view" in t for t in text)
    assert any("xunjian.access [req text-req-1] GET /noisy/1 200" in t for t in text)


def test_outside_a_request_lines_have_no_request_id(logging_app):
    with captured() as stream:
        logging.getLogger("server.elsewhere").warning("not in a request")
    (line,) = json_lines(stream)
    assert "request_id" not in line and context.request_id() is None


def test_an_unknown_log_format_is_a_clear_start_up_error():
    with pytest.raises(ValueError, match="LOG_FORMAT must be one of json, text"):
        logs.make_handler("yaml")


def test_a_task_logs_under_its_job_id(app):
    from server.tasks import runner
    from server.tasks.registry import JOB_KINDS

    kind = JOB_KINDS[0]
    with captured() as stream:
        runner.job_task(app, kind)(987654)  # no such job: the runner says it skipped it
    (line,) = [x for x in json_lines(stream) if x["logger"] == "xunjian.tasks"]
    assert line["job_id"] == 987654 and "987654" in line["msg"]
    assert context.JOB_ID.get() is None  # reset after the task


def test_the_access_lines_user_costs_no_query(auth, app, monkeypatch):
    """After the commit the user row is expired; reading its id must not SELECT it again."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.observability import request_hooks

    statements, found = [], []
    real = request_hooks._user_id

    def counted():
        listen = lambda *args: statements.append(args[2])  # noqa: E731
        sa.event.listen(db.engine, "before_cursor_execute", listen)
        try:
            found.append(real())
        finally:
            sa.event.remove(db.engine, "before_cursor_execute", listen)
        return found[-1]

    engineer = auth("engineer")
    monkeypatch.setattr(request_hooks, "_user_id", counted)
    assert engineer.post("/api/v1/auth/logout-all").status_code < 400  # a write, committed
    engineer2 = auth("engineer")
    engineer2.get("/api/v1/auth/me")
    assert found[-1] == engineer2.user.id and statements == []
