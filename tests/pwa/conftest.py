"""Fixtures for the PWA browser tests: the phone context in headless Debian Chromium, and the
fake server (tests/pwa/fake_server.py) for the one test a real server cannot serve."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from fake_server import FakeServer  # noqa: E402

from tests.chromium import BASE_ARGS, CHROMIUM, launch, new_context  # noqa: E402,F401  (re-exported for the tests)


@pytest.fixture
def server():
    with FakeServer() as fake:
        yield fake


@pytest.fixture
def context(browser):
    ctx = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    yield ctx
    ctx.close()
