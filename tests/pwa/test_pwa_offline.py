"""Checklist rules and sign-out against the real server (offline boot and exactly-once delivery:
test_e2e_real_server.py)."""

import pytest
from field_seed import count, new_device
from helpers import jpeg_bytes
from phone import Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_failed_item_needs_note_or_photo(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    phone.open(f"/d/{device['tag']}/check", "[data-testid=checklist]")
    item = phone.page.locator("[data-testid=item]").filter(has=phone.page.locator("button.fail"))
    item.first.locator("button.fail").click()
    phone.page.click("[data-testid=save-check]")
    # The refusal on screen proves the save ran; then nothing may have been kept or sent.
    item.first.get_by_text("异常项需要备注或照片").wait_for()
    assert phone.page.locator("[data-testid=checklist]").count() == 1
    assert phone.outbox() == []
    assert count(live_server, "select count(*) from inspection") == 0


def test_logout_refused_while_records_unsent(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    phone.go_offline(context)
    phone.save_check(device["tag"], jpeg_bytes((10, 90, 200)))
    assert [r["state"] for r in phone.outbox()] == ["waiting"]
    phone.open("/settings", "main section")
    phone.page.get_by_role("button", name="退出登录").click()
    refused = phone.page.locator("[data-testid=logout-refused]")
    assert "不能退出登录" in refused.inner_text()
    assert phone.page.locator("#username").count() == 0  # still signed in
    assert phone.meta("user") is not None
