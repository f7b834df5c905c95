"""The daily backup on the task queue: two real `xunjian worker` processes on one queue, the
periodic task enqueued by both schedulers (as two machines' would): one backup, one skip."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from server import create_app
from server.config import Config
from server.extensions import db
from server.models import BackupRun
from server.services.backup import sealed
from tests.server.backup.helpers import stamp
from tests.server.tasks.helpers import redis_url

pytestmark = pytest.mark.live


def _config(database: str, queue: str, instance: str, key: str) -> type:
    class BackupWorkerConfig(Config):
        def __init__(self):
            super().__init__()
            self.SECRET_KEY = "test-secret-key"
            self.SQLALCHEMY_DATABASE_URI = database
            self.TASK_QUEUE_URL = queue
            self.BACKUP_KEY, self.BACKUP_DIR = key, f"{instance}/backups"
            self.PHOTO_STORE = f"{instance}/photos"

    return BackupWorkerConfig


@pytest.mark.parametrize("queue_kind", ["sqlite", "redis"])
def test_the_daily_backup_runs_once_with_two_workers(tmp_path, queue_kind):
    database = f"sqlite:///{tmp_path / 'xunjian.db'}"
    queue = f"sqlite:///{tmp_path / 'tasks.db'}" if queue_kind == "sqlite" else redis_url()
    key = sealed.new_key()
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "TASK_QUEUE_URL": queue,
        "XUNJIAN_INSTANCE": str(tmp_path),
        "SECRET_KEY": "test-secret-key",
        "BACKUP_KEY": key,
        "BACKUP_DIR": str(tmp_path / "backups"),
        "PHOTO_STORE": str(tmp_path / "photos"),
    }
    apps = [create_app(_config(database, queue, str(tmp_path), key)) for _ in range(2)]
    with apps[0].app_context():
        db.create_all()
        stamp()
        db.session.remove()
    for app in apps:  # each machine's scheduler enqueues the day's task
        app.extensions["huey_periodic"]["backups.daily"]()
    log_path = tmp_path / "workers.log"
    command = [sys.executable, "-m", "server.cli", "worker", "--workers", "1", "--no-periodic"]
    with open(log_path, "ab") as log:
        workers = [
            subprocess.Popen(command, env=env, stderr=log, stdout=log, start_new_session=True)
            for _ in range(2)
        ]
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            text = log_path.read_text()
            if "periodic backups.daily: slot" in text and "skipped" in text:
                break
            assert all(w.poll() is None for w in workers), text
            time.sleep(0.3)
        with apps[0].app_context():
            while time.monotonic() < deadline:  # the one that ran records its run at the end
                if db.session.scalar(sa.select(sa.func.count()).select_from(BackupRun)):
                    break
                db.session.remove()
                time.sleep(0.3)
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, 2)
        for worker in workers:
            worker.wait(20)
    text = log_path.read_text()
    # Both deliveries were run; the second saw the day's slot taken and did nothing.
    assert text.count("periodic backups.daily: slot") == 2, text
    assert text.count("already run by another worker; skipped") == 1, text
    with apps[0].app_context():
        runs = db.session.scalars(sa.select(BackupRun)).all()
        assert [(r.state, r.ran_by) for r in runs] == [("verified", "task:backups.daily")]
        db.engine.dispose()
    assert sorted(os.listdir(tmp_path / "backups")) == [runs[0].file_name]
