"""Two real `xunjian worker` processes with their schedulers on one queue, and a WeCom robot
receiver: a fault's response clock at its 5-minute mark gives one message, in Chinese with the
fault's link, however many workers run the minute's tick, and none more after a restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta

import pytest

from server import create_app
from server.extensions import db
from server.models import utcnow
from server.services.core import reference
from server.services.faults.lifecycle import create_fault
from server.services.reminders import admin
from tests.conftest import Factories
from tests.server.reminders.receivers import Robots
from tests.server.tasks.test_workers import _config

pytestmark = pytest.mark.live


def _worker(env: dict, log) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "server.cli", "worker", "--workers", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )


def _stop(workers) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGINT)
    for worker in workers:
        worker.wait(30)


def _wait_for(check, seconds: float, log) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"not within {seconds} s:\n{log.read_text()}")


def _seed(app, robots: Robots) -> int:
    with app.app_context():
        db.create_all()
        sites = reference.seed_regions_and_sites()
        reference.seed_rooms(sites)
        reference.seed_device_types()
        factory = Factories()
        device = factory.device("L09", room=sites[0].rooms[0])
        boss = factory.user("admin")
        admin.save_channel(None, boss, name="值班群", kind="wecom", url=robots.wecom_url())
        # 5 min 10 s ago: the 5-minute warning is due now, the breach is 4 min away
        fault = create_fault(
            tag=device.tag,
            description="主会场投影不亮",
            user=factory.user("engineer"),
            reported_at=utcnow() - timedelta(minutes=5, seconds=10),
        )
        db.session.commit()
        fault_id = fault.id
        db.session.remove()
    return fault_id


def test_two_scheduling_workers_send_the_warning_once_and_not_again_after_a_restart(tmp_path):
    database = f"sqlite:///{tmp_path / 'xunjian.db'}"
    queue = f"sqlite:///{tmp_path / 'tasks.db'}"
    app = create_app(_config(database, queue, str(tmp_path)))
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "TASK_QUEUE_URL": queue,
        "XUNJIAN_INSTANCE": str(tmp_path),
        "SECRET_KEY": "test-secret-key",
        "LABEL_URL_BASE": "https://xj.example.cn",
    }
    log = tmp_path / "workers.log"
    with Robots() as robots:
        fault_id = _seed(app, robots)
        with open(log, "ab") as out:
            workers = [_worker(env, out), _worker(env, out)]
        try:
            _wait_for(lambda: robots.messages, 75, log)  # the next minute's tick
            time.sleep(65)  # and the one after: both workers schedule it, one runs it
            first = list(robots.messages)
            _stop(workers)
            with open(log, "ab") as out:
                workers = [_worker(env, out)]
            time.sleep(65)
        finally:
            _stop(workers)
        contents = [body["markdown"]["content"] for _, body in robots.messages]
    # other rules may speak too (the real clock's daily check): each message once, none later
    assert len(contents) == len(set(contents)) and robots.messages == first
    [content] = [c for c in contents if f"故障 #{fault_id}" in c]
    assert "响应时限" in content and "还剩" in content
    assert f"https://xj.example.cn/faults?fault={fault_id}" in content
    with app.app_context():
        db.engine.dispose()
