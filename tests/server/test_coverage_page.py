"""The coverage page in real headless Chromium against a live server with demo data."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.browser, pytest.mark.live]

SEED_VISITS = """
from datetime import datetime, timezone
import sqlalchemy as sa
from server import create_app
from server.extensions import db
from server.models import Plan, User
from tests.server.plans_helpers import FieldFactory
app = create_app()
with app.app_context():
    plan = db.session.scalar(sa.select(Plan))
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    entry = plan.entries[0]
    visit = FieldFactory().visit(entry.site, engineer, datetime(2026, 2, 3, 2, tzinfo=timezone.utc),
                                 plan_entry=entry)
    from server.models import Device, Room
    devices = db.session.scalars(sa.select(Device).join(Room).where(Room.site_id == entry.site_id)).all()
    for device in devices:
        FieldFactory().inspection(visit, device)
    db.session.commit()
    print(entry.site.code)
"""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def live_server(tmp_path_factory):
    instance = tmp_path_factory.mktemp("instance")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XUNJIAN_INSTANCE": str(instance),
           "DATABASE_URL": f"sqlite:///{instance / 'xj.db'}", "SECRET_KEY": "browser-test"}
    cli = [sys.executable, "-c", "from server.cli import main; main()"]
    for args in (["db", "upgrade"], ["seed", "--demo"], ["plan", "--quarter", "2026Q1", "--seed", "4"]):
        subprocess.run(cli + args, env=env, cwd=ROOT, check=True, capture_output=True, timeout=120)
    visited = subprocess.run([sys.executable, "-c", SEED_VISITS], env=env, cwd=ROOT, check=True,
                             capture_output=True, text=True, timeout=120).stdout.strip()
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "server:create_app", "run", "--host", "127.0.0.1",
         "--port", str(port)], env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(f"{base}/api/v1/health", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base, visited
    finally:
        server.terminate()
        server.wait(timeout=10)


def _sign_in(page, base):
    page.goto(f"{base}/coverage")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", "supervisor-demo-2026")
    page.click("form.login button")
    page.wait_for_selector(".tile", timeout=15000)


def test_map_shows_coverage_and_site_detail(live_server, browser):
    base, visited = live_server
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    _sign_in(page, base)
    page.fill("input[name=quarter]", "2026Q1")
    page.click("form.controls button.primary")
    page.wait_for_selector(f'.tile[data-code="{visited}"][data-state="complete"]', timeout=15000)
    assert page.locator(".tile").count() == 99
    assert page.locator('.tile[data-state="planned"], .tile[data-state="missed"]').count() == 29
    assert page.locator('.card[data-key="visited"] b').inner_text() == "1"
    page.click(f'.tile[data-code="{visited}"]')
    page.wait_for_selector("#site-name", timeout=10000)
    assert visited in page.inner_text("#site")
    assert "是" in page.inner_text("#site")  # inspected in the period, in Chinese
    page.click("#lang")
    page.wait_for_selector(".tile", timeout=15000)
    assert "Inspection coverage" in page.inner_text("header")
    page.click('#tabs button[data-list="missing"]')
    page.wait_for_selector("#list table", timeout=15000)
    if os.environ.get("COVERAGE_SCREENSHOT"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=os.environ["COVERAGE_SCREENSHOT"], full_page=False)


def test_works_on_a_phone(live_server, browser):
    base, _ = live_server
    context = browser.new_context(viewport={"width": 375, "height": 740}, is_mobile=True,
                                  has_touch=True)
    page = context.new_page()
    _sign_in(page, base)
    page.wait_for_selector("#planner")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    box = page.locator(".tile").first.bounding_box()
    assert box["width"] >= 18 and abs(box["width"] - box["height"]) < 2
    page.locator(".tile").nth(5).tap()
    page.wait_for_selector("#site-name", timeout=10000)
    context.close()
