"""The reminders page in real Chromium on the live server, with a WeCom robot receiver in this
process: an admin adds the robot (a plain-http address elsewhere is refused in Chinese), the
test send reaches the receiver and shows as sent in the log, a threshold changes, a rule goes
off, a user is subscribed and unsubscribed; axe-core clean. Then the issue's "Done when": a
fault raised from the phone 5 minutes ago gives, on `xunjian reminders tick`, one message in
Chinese with the fault's link, and a second tick nothing more."""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from chinese_text import assert_chinese
from test_pwa_a11y import serious_violations

from tests.chromium import new_context, office_sign_in
from tests.live_server import ROOT, serve, server_env
from tests.server.reminders.receivers import Robots

pytestmark = [pytest.mark.browser, pytest.mark.live]


NAMES = {"admin": "李管理", "engineer": "张工", "engineer2": "刘工", "supervisor": "王主管"}


def a_device() -> str:
    """Chinese names for the users (a Chinese screen shows them), and one projector in a room
    of the reference data: the engineer raises a fault on it."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Room, User
    from tests.conftest import Factories

    for user in db.session.scalars(sa.select(User)):
        user.display_name = NAMES.get(user.username, "赵审计")
    room = db.session.scalars(sa.select(Room).order_by(Room.id)).first()
    return Factories().device("L09", room=room).tag


@pytest.fixture(scope="module")
def robots():
    with Robots() as server:
        yield server


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("reminders"), seed=a_device) as server:
        yield server


def _tick(live) -> str:
    """`xunjian reminders tick` on the live server's database, as cron would run it."""
    env = server_env(live.db_url, live.tmp_dir, {"LABEL_URL_BASE": live.base_url})
    done = subprocess.run(
        [sys.executable, "-m", "server.cli", "reminders", "tick"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def _eventually(read, done, seconds: float = 30):
    """What `read` answers once `done` holds (a save still on its way), else its last answer."""
    deadline = time.monotonic() + seconds
    while not done(value := read()) and time.monotonic() < deadline:
        time.sleep(0.2)
    return value


def _rules(admin) -> dict:
    rules = admin.get("/api/v1/reminders/rules").json()
    return {r["name"]: (r["enabled"], {p["name"]: p["value"] for p in r["params"]}) for r in rules}


def test_an_admin_sets_up_a_wecom_robot_and_a_fault_reaches_it_once(live, robots, browser):
    context = new_context(browser, locale="zh-CN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    office_sign_in(page, live.base_url, "admin", "/reminders", "#rules form.rule")
    form = page.locator("#add-channel")
    form.locator("input[name=name]").fill("值班群")
    form.locator("input[name=url]").fill("http://example.cn")  # not https, not this machine
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#message:not([hidden])")
    assert "https://" in page.locator("#message").inner_text()
    assert_chinese(page, "/reminders refusal")
    assert page.locator("[data-channel]").count() == 0

    form.locator("input[name=url]").fill(robots.wecom_url())
    form.locator("button[type=submit]").click()
    card = page.locator("[data-channel]")
    card.wait_for()
    card.locator("[data-subs] li").first.wait_for()  # engineers and supervisors from the start

    # The test send: the receiver holds it, the page says so and the log shows it sent.
    card.locator("[data-test]").click()
    page.wait_for_selector("#log tr[data-delivery]")
    row = page.locator("#log tr[data-delivery]").first
    assert "已发送" in row.inner_text() and "测试消息" in row.inner_text()
    assert len(robots.messages) == 1 and robots.messages[0][0] == "wecom"
    assert "测试" in robots.messages[0][1]["markdown"]["content"]

    # A threshold changed and a rule switched off, on the page; the API agrees.
    admin = live.client("admin")
    rule = page.locator("form[data-rule=fault_clock_warning]")
    rule.locator("input[name=handling_left]").fill("25")
    rule.locator("button[type=submit]").click()
    page.wait_for_selector("#message:not([hidden])")
    daily = page.locator("form[data-rule=daily_check_missing]")
    daily.locator("input[name=enabled]").uncheck()
    daily.locator("button[type=submit]").click()
    rules = _eventually(lambda: _rules(admin), lambda r: not r["daily_check_missing"][0])
    assert rules["fault_clock_warning"][1]["handling_left"] == 25
    assert rules["daily_check_missing"][0] is False

    # One user subscribed to one rule, shown by name, then removed.
    users = admin.get("/api/v1/users?per_page=500").json()["items"]
    engineer = next(u for u in users if u["username"] == "engineer2")
    subscribe = card.locator("[data-subscribe]")
    subscribe.locator("select[name=who]").select_option(f"user:{engineer['id']}")
    subscribe.locator("select[name=rule]").select_option("fault_clock_breach")
    subscribe.locator("button[type=submit]").click()
    mine = card.locator("[data-subs] li", has_text="刘工")
    mine.wait_for()
    assert "故障时限已超出" in mine.inner_text()
    channel_id = card.get_attribute("data-channel")
    subs = admin.get(f"/api/v1/reminders/channels/{channel_id}/subscriptions").json()
    assert [s["rule"] for s in subs if s["user_id"] == engineer["id"]] == ["fault_clock_breach"]
    mine.locator("[data-unsubscribe]").click()
    mine.wait_for(state="detached")
    subs = admin.get(f"/api/v1/reminders/channels/{channel_id}/subscriptions").json()
    assert [s for s in subs if s["user_id"] == engineer["id"]] == []
    assert_chinese(page, "/reminders")
    assert serious_violations(page) == []
    context.close()

    # Done when: a fault raised from the phone 5 minutes ago; one message, then nothing more.
    engineer_client = live.client("engineer")
    reported = datetime.now(UTC) - timedelta(minutes=5, seconds=5)
    raised = engineer_client.post_json(
        "/api/v1/faults",
        {"tag": live.seeded, "description": "主会场投影不亮", "reported_at": reported.isoformat()},
    )
    assert raised.status == 201, raised.json()
    fault_id = raised.json()["id"]
    before = len(robots.messages)
    _tick(live)
    new = [body["markdown"]["content"] for _, body in robots.messages[before:]]
    about = [c for c in new if f"故障 #{fault_id}" in c]
    assert len(about) == 1, new
    assert "响应时限" in about[0] and "还剩" in about[0]
    assert f"{live.base_url}/faults?fault={fault_id}" in about[0]
    assert not any("日常巡检" in c for c in new)  # switched off on the page
    sent = len(robots.messages)
    _tick(live)
    assert len(robots.messages) == sent
