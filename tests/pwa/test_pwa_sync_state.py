"""The sync state on the real server: records wiped with the site data before they were sent are
shown as "never arrived" on the phone and in the supervisor's review queue; a server that stops
answering while the phone is online is shown (with the last good sync) and retried until back."""

from __future__ import annotations

from datetime import date

import pytest
from helpers import jpeg_bytes
from phone import Phone

from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

UNREGISTER = """async () => {
  for (const r of await navigator.serviceWorker.getRegistrations()) await r.unregister();
}"""
WIPE = """async () => {
  for (const key of await caches.keys()) await caches.delete(key);
  localStorage.clear();
  await new Promise((done, fail) => {
    const req = indexedDB.deleteDatabase('xunjian');
    req.onsuccess = () => done(); req.onerror = () => fail(req.error); req.onblocked = () => fail('blocked');
  });
}"""


def _refuse_pushes(route):
    """The server is there (the report arrives) but each push fails: records stay waiting."""
    route.fulfill(status=503, content_type="application/json", body='{"error": {"code": 503}}')


def test_cleared_site_data_shows_records_that_never_arrived(context, live_server, browser):
    from field_seed import new_device

    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in(controlled=True)
    context.route("**/api/v1/sync/push", _refuse_pushes)
    phone.save_check(device["tag"], jpeg_bytes((30, 120, 60)))
    [record] = phone.wait_outbox(["waiting"])
    phone.open("/", "[data-testid=sync-bar]")
    phone.page.wait_for_selector("[data-testid=sync-bar][data-error=unreachable]")
    first_phone = phone.meta("phone_id")
    assert first_phone
    # The browser's "clear site data": cookies, the worker, caches and IndexedDB all go.
    phone.page.evaluate(UNREGISTER)
    phone.page.goto(live_server.base_url + "/api/v1/health")  # the app (and its retry timer) left
    context.unroute("**/api/v1/sync/push")
    phone.page.evaluate(WIPE)
    context.clear_cookies()
    phone.sign_in()
    warning = phone.page.locator("[data-testid=never-arrived]")
    warning.wait_for()
    assert "有 1 条记录从未到达服务器" in warning.inner_text()
    assert phone.meta("phone_id") not in (None, first_phone)
    assert phone.outbox() == []  # nothing left to send: the record is gone, and said so

    office = new_context(browser, locale="zh-CN")
    try:
        page = office.new_page()
        office_sign_in(
            page, live_server.base_url, "supervisor", "/review", ready="#app[data-loaded]"
        )
        line = page.locator("[data-testid=lost-line]")
        assert line.count() == 1
        assert "1 条记录从这台手机上消失，从未到达服务器" in line.inner_text()
        assert page.locator(f"[data-phone='{first_phone}']").count() == 1
        assert page.locator("[data-count=lost]").inner_text() == "1"
    finally:
        office.close()
    body = live_server.client("supervisor").get("/api/v1/review/phones").json()
    assert body["items"][0]["uuids"] == [record["uuid"]]


def test_server_unreachable_is_shown_then_synced_when_back(context, live_server):
    from field_seed import count, current_quarter, new_device

    device = new_device(live_server)
    plan = live_server.client("supervisor").post_json(
        "/api/v1/plans",
        {"kind": "quarterly", "period": current_quarter(date.today()), "size": 30, "seed": 7},
    )
    assert plan.status == 201, plan.body
    phone = Phone.of(context, live_server).sign_in(controlled=True)
    phone.sync_now()
    bar = phone.page.locator("[data-testid=sync-bar]")
    assert "从未" not in bar.inner_text()
    live_server.stop()  # the phone is online; nothing answers
    phone.save_check(device["tag"], jpeg_bytes((200, 40, 40)))  # saving triggers a sync
    phone.route("/", "[data-testid=sync-bar]")
    phone.page.wait_for_selector("[data-testid=sync-bar][data-error=unreachable]")
    text = bar.inner_text()
    assert "无法连接服务器" in text and "上次成功同步" in text and "从未" not in text
    phone.page.wait_for_function(
        "() => /秒后重试/.test(document.querySelector('[data-testid=sync-last]').textContent)"
    )
    assert [r["state"] for r in phone.outbox()] == ["waiting"]
    # A long Today (the engineer's plan entries): scrolled to its end, the bar is still in view.
    assert phone.page.locator("[data-testid=plan]").count() >= 10
    phone.page.evaluate("scrollTo(0, document.documentElement.scrollHeight)")
    assert phone.page.evaluate("scrollY") > 800  # the page did scroll, far
    box = bar.bounding_box()
    assert box and 0 <= box["y"] < 100, box
    live_server.start()
    phone.wait_outbox(["sent"])  # the back-off retried by itself: nothing tapped
    phone.page.wait_for_selector("[data-testid=sync-bar][data-error='']")
    assert count(live_server, "select count(*) from inspection") == 1
