"""Multiprocess metrics as under gunicorn: two server processes on one database write their
values to one PROMETHEUS_MULTIPROC_DIR and either one's /metrics adds them up; the child_exit
hook drops a dead process's live gauge, on_starting empties the folder. Their logs are JSON,
every line, with the request id."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from prometheus_client.parser import text_string_to_metric_families

from server.observability import gunicorn
from tests import sync_records as rec
from tests.live_server import LiveServer, serving

pytestmark = pytest.mark.live


def scrape(server) -> dict:
    response = server.client().get("/metrics")
    assert response.status == 200, response.body
    return {
        (s.name, tuple(sorted(s.labels.items()))): s.value
        for family in text_string_to_metric_families(response.body.decode())
        for s in family.samples
    }


def push_visit(server, request_id: str) -> None:
    engineer = server.client("engineer")
    site = engineer.get("/api/v1/sync/pull").json()["sites"][0]["code"]
    body = json.dumps({"records": [rec.visit(site)]}).encode()
    headers = {"Content-Type": "application/json", "X-Request-Id": request_id}
    response = engineer.request("POST", "/api/v1/sync/push", body, headers)
    assert response.status == 200 and response.headers["X-Request-Id"] == request_id
    assert response.json()["results"][0]["status"] == "created"


def log_lines(server) -> list[dict]:
    text = server.log_path.read_text()
    return [json.loads(line) for line in text.splitlines() if line.strip()]  # JSON, every line


PUSHED = ("xunjian_sync_records_total", (("record_type", "visit"), ("status", "created")))
PUSH_200 = (
    "xunjian_http_requests_total",
    (("method", "POST"), ("route", "/api/v1/sync/push"), ("status", "200")),
)


def test_two_processes_add_up_and_a_dead_one_is_marked(
    tmp_path, live_database_template, monkeypatch
):
    folder = tmp_path / "prometheus"
    env = {"PROMETHEUS_MULTIPROC_DIR": str(folder), "LOG_FORMAT": "json"}
    config = {"SYNC_FAULT_PAUSE_SECONDS": 0.01}  # logs a warning inside the push request
    url, drop = live_database_template.copy(tmp_path)
    (tmp_path / "b").mkdir()
    with serving(tmp_path, url, drop, env=env, config=config) as first:
        second = LiveServer(tmp_path / "b", url, env)
        try:
            second.start(**config)
            push_visit(first, "push-on-first-1")
            push_visit(second, "push-on-second-1")
            for server in (first, second):  # either process sees both processes' counts
                got = scrape(server)
                assert got[PUSHED] == 2 and got[PUSH_200] == 2
            pids = {first.proc.pid, second.proc.pid}
            files = {p.name for p in folder.iterdir()}
            assert {f"gauge_livesum_{pid}.db" for pid in pids} <= files
            assert {f"counter_{pid}.db" for pid in pids} <= files
        finally:
            second.stop()
        monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(folder))  # as the gunicorn master has
        gunicorn.child_exit(None, SimpleNamespace(pid=second.proc.pid))
        files = {p.name for p in folder.iterdir()}
        assert f"gauge_livesum_{second.proc.pid}.db" not in files
        assert f"counter_{second.proc.pid}.db" in files  # a dead worker's counts still count
        got = scrape(first)
        assert got[PUSHED] == 2 and got[("xunjian_http_requests_in_progress", ())] == 1  # itself
        lines = log_lines(first)
    mine = [line for line in lines if line.get("request_id") == "push-on-first-1"]
    assert [line["logger"] for line in mine] == ["server", "xunjian.access"]
    assert mine[0]["level"] == "WARNING" and mine[0]["msg"].startswith("fault test: 1 records")
    access = mine[1]
    assert access["route"] == "/api/v1/sync/push" and access["status"] == 200
    assert access["method"] == "POST" and isinstance(access["user_id"], int)
    assert not [line for line in lines if " - - [" in line["msg"]]  # the dev server's line: gone
    gunicorn.on_starting(None)  # a new gunicorn master: the last run's values are dropped
    assert not list(folder.glob("*.db"))
