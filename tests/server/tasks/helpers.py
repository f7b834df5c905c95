"""Running queued tasks inside a test, and a real Redis for the queue tests."""

from __future__ import annotations

import shutil
import subprocess
import time

import pytest

from tests.parallel import redis_database

# A database of its own (one per xdist worker: tests/parallel.py), emptied by each test.
REDIS_TEST_URL = f"redis://127.0.0.1:6379/{redis_database()}"
REDIS_START = [
    "redis-server",
    "--daemonize",
    "yes",
    "--bind",
    "127.0.0.1",
    "--port",
    "6379",
    "--save",
    "",
    "--appendonly",
    "no",
]


def run_pending(app, limit: int = 50) -> int:
    """Execute what the app's (memory) queue holds, as a worker would; how many ran."""
    huey = app.extensions["huey"]
    ran = 0
    while ran < limit and (task := huey.dequeue()) is not None:
        huey.execute(task)
        ran += 1
    return ran


def redis_url() -> str:
    """The test Redis database, emptied; Redis is started if it is not running (.ci/run
    starts it too). No redis-server at all is a failure saying how to get one."""
    import redis

    client = redis.Redis.from_url(REDIS_TEST_URL)
    try:
        client.ping()
    except redis.ConnectionError:
        if not shutil.which("redis-server"):
            pytest.fail("redis-server is needed: run scripts/install_system_deps.sh")
        subprocess.run(REDIS_START, check=True)
        for _ in range(50):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.1)
    client.flushdb()
    return REDIS_TEST_URL
