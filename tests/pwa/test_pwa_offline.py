"""Checklist rules and logout against the fake server (offline boot and exactly-once delivery: test_e2e_real_server.py)."""

import pytest
from fake_server import TAGS
from helpers import answer_checklist, image_bytes, login_and_sync, photo

pytestmark = pytest.mark.browser


def test_failed_item_needs_note_or_photo(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + f"/d/{TAGS['camera']}/check")
    items = page.locator("[data-testid=item]")
    items.nth(0).locator("button.fail").click()
    page.click("[data-testid=save-check]")
    assert "异常项需要备注或照片" in items.nth(0).inner_text()
    assert server.state.records == {}


def test_logout_refused_while_records_unsent(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    server.state.api_down = True
    page.goto(server.url + f"/d/{TAGS['camera']}/check")
    answer_checklist(
        page, "na", "180", "pass", photo("c.jpg", image_bytes((10, 90, 200))), note="link congested"
    )  # 180 is out of range: needs a note
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device]")
    page.goto(server.url + "/settings")
    page.click("button.weui-btn_warn")
    assert "不能退出登录" in page.locator("[data-testid=logout-refused]").inner_text()
