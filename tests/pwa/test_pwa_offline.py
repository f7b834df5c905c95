"""Checklist rules and logout against the fake server (offline boot and exactly-once delivery: test_e2e_real_server.py)."""
import pytest

from fake_server import TAGS
from helpers import jpeg_bytes, login_and_sync

pytestmark = pytest.mark.browser


def fill_checklist(page):
    items = page.locator("[data-testid=item]")
    items.nth(0).locator("button.pass").click()
    items.nth(1).locator("input[type=number]").fill("23")
    items.nth(2).locator("button.fail").click()
    items.nth(2).locator("[data-testid=photo-input]").set_input_files(
        files=[{"name": "cable.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}])
    page.wait_for_selector("[data-testid=item][data-key='cabling.photo'] .xj-thumbs img")


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
    items = page.locator("[data-testid=item]")
    items.nth(0).locator("button.na").click()
    items.nth(1).locator("input[type=number]").fill("180")  # out of range: needs a note
    items.nth(1).locator("input[aria-label$='备注']").fill("link congested")
    items.nth(2).locator("button.pass").click()
    items.nth(2).locator("[data-testid=photo-input]").set_input_files(
        files=[{"name": "c.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes((10, 90, 200))}])
    page.wait_for_selector("[data-testid=item][data-key='cabling.photo'] .xj-thumbs img")
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device]")
    page.goto(server.url + "/settings")
    page.click("button.weui-btn_warn")
    assert "不能退出登录" in page.locator("[data-testid=logout-refused]").inner_text()
