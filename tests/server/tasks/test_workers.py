"""Two real `xunjian worker` processes on one queue (SQLite file, then Redis): every job runs
exactly once, even when its task is delivered twice, and a transient failure is retried."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections import Counter

import pytest
import sqlalchemy as sa

from server import create_app
from server.config import Config
from server.extensions import db
from server.models import Job
from server.services import jobs
from tests.server.tasks.helpers import redis_url

pytestmark = pytest.mark.live
JOBS = 8


def _config(database: str, queue: str, instance: str) -> type:
    class WorkerTestConfig(Config):
        def __init__(self):
            super().__init__()
            self.SECRET_KEY = "test-secret-key"
            self.SQLALCHEMY_DATABASE_URI = database
            self.TASK_QUEUE_URL = queue
            self.JOB_FILES = f"{instance}/jobs"

    return WorkerTestConfig


def _worker(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "worker", "--workers", "1", "--no-periodic"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )


def _statuses(app) -> dict[int, tuple]:
    with app.app_context():
        rows = db.session.execute(sa.select(Job.id, Job.status, Job.attempts)).all()
        return {row.id: (row.status, row.attempts) for row in rows}


@pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])
def test_two_workers_run_each_job_once(tmp_path, queue_kind):
    database = f"sqlite:///{tmp_path / 'xunjian.db'}"
    queue = f"sqlite:///{tmp_path / 'tasks.db'}" if queue_kind == "sqlite" else redis_url()
    app = create_app(_config(database, queue, str(tmp_path)))
    log = tmp_path / "runs.log"
    with app.app_context():
        db.create_all()
        ids = []
        for number in range(JOBS):
            params = {"steps": 2, "sleep": 0.2, "log": str(log)}
            if number == 0:
                params["fail_times"] = 1  # retried after the probe kind's 1 s delay
            job, _ = jobs.start("probe", params)
            db.session.commit()
            app.extensions["huey_tasks"]["probe"](job.id)  # each one delivered twice
            ids.append(job.id)
        db.session.remove()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "TASK_QUEUE_URL": queue,
        "XUNJIAN_INSTANCE": str(tmp_path),
        "SECRET_KEY": "test-secret-key",
    }
    worker_log = tmp_path / "workers.log"
    with open(worker_log, "ab") as out:
        workers = [_worker(env, out), _worker(env, out)]
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            states = _statuses(app)
            if all(states[i][0] in ("done", "failed") for i in ids):
                break
            assert all(w.poll() is None for w in workers), worker_log.read_text()
            time.sleep(0.3)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, 2)
        for worker in workers:
            worker.wait(20)
    states = _statuses(app)
    print(worker_log.read_text())
    assert {i: states[i][0] for i in ids} == {i: "done" for i in ids}
    assert states[ids[0]][1] == 2  # failed once, retried once
    runs = Counter(line.split()[0] for line in log.read_text().splitlines())
    assert runs == Counter({str(i): 1 for i in ids})
    with app.app_context():
        db.engine.dispose()


def test_serve_runs_the_web_server_and_a_worker_and_stops_both(tmp_path):
    """`xunjian serve` (what `make run` starts): both children up; SIGTERM stops both."""
    import socket
    import urllib.request

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    database = f"sqlite:///{tmp_path / 'xunjian.db'}"
    app = create_app(_config(database, f"sqlite:///{tmp_path / 'tasks.db'}", str(tmp_path)))
    with app.app_context():
        db.create_all()
        db.engine.dispose()
    env = {**os.environ, "DATABASE_URL": database, "XUNJIAN_INSTANCE": str(tmp_path)}
    env["SECRET_KEY"] = "test-secret-key"
    with open(tmp_path / "serve.log", "ab") as log:
        serve = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "serve", "--port", str(port)],
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 90
        while True:
            assert serve.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2):
                    break
            except OSError:
                assert time.monotonic() < deadline, (tmp_path / "serve.log").read_text()
                time.sleep(0.3)
        while "worker: queue" not in (tmp_path / "serve.log").read_text():
            assert time.monotonic() < deadline
            time.sleep(0.3)
        children = subprocess.run(
            ["ps", "--ppid", str(serve.pid), "-o", "pid="], capture_output=True, text=True
        ).stdout.split()
        assert len(children) == 2
    finally:
        serve.terminate()
        assert serve.wait(30) == 0
    for child in children:
        assert (
            not os.path.exists(f"/proc/{child}")
            or "zombie" in open(f"/proc/{child}/status").read().lower()
        )
