"""Offline behaviour in real headless Chromium: the shell boots offline; offline records survive reloads and arrive once."""
import pytest

from fake_server import TAGS
from helpers import answer_checklist, go_offline, image_bytes, login_and_sync, photo

pytestmark = pytest.mark.browser


def test_app_boots_offline_after_reload_and_opens_deep_links(context, server):
    page = context.new_page()
    go_offline(page, context, server)
    page.reload()
    page.wait_for_selector("[data-testid=plan]")
    assert page.locator(".xj-net").inner_text() == "离线"
    page.goto(server.url + f"/d/{TAGS['terminal']}")
    assert page.locator("[data-testid=device-type]").inner_text() == "4K 视频会议终端"


def test_offline_checklist_with_photo_survives_reload_and_arrives_once(context, server):
    page = context.new_page()
    go_offline(page, context, server)
    page.goto(server.url + f"/d/{TAGS['terminal']}/check")
    answer_checklist(page, "pass", "23", "fail", photo("cable.jpg", image_bytes()))
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device]")

    page.reload()
    page.goto(server.url + "/outbox")
    record = page.locator("[data-testid=outbox-record]")
    record.wait_for()
    assert record.get_attribute("data-state") == "waiting"
    assert server.state.records == {}

    server.state.api_down = False
    context.set_offline(False)
    page.wait_for_selector("[data-testid=outbox-record][data-state=sent]")
    page.wait_for_function("document.querySelectorAll('[data-testid=outbox-record] .xj-warn').length === 0")

    uuid = record.get_attribute("data-uuid")
    assert list(server.state.records) == [uuid]
    assert [a["status"] for a in server.state.answers if a["uuid"] == uuid] == ["created"]
    assert server.state.photo_puts == 1
    [(sha, data)] = server.state.photos.items()
    assert data[:2] == b"\xff\xd8"  # stored as JPEG, shrunk by the app
    assert sha in server.state.records[uuid]


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
    answer_checklist(page, "na", "180", "pass", photo("c.jpg", image_bytes((10, 90, 200))),
                     note="link congested")  # 180 is out of range: needs a note
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device]")
    page.goto(server.url + "/settings")
    page.click("button.weui-btn_warn")
    assert "不能退出登录" in page.locator("[data-testid=logout-refused]").inner_text()
