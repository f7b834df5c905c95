"""The scanner against the fake server: foreign codes are named, a denied camera leaves manual entry (our printed label: test_e2e_real_server.py)."""

import pytest
from conftest import launch, new_context
from fake_server import TAGS
from helpers import login_and_sync
from y4m import qr_frame, write_y4m

pytestmark = pytest.mark.browser


def camera_page(playwright_instance, tmp_path, text):
    video = write_y4m(tmp_path / "label.y4m", qr_frame(text))
    browser = launch(
        playwright_instance,
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    return browser, context, context.new_page()


def test_a_foreign_qr_code_is_named_not_ours(playwright_instance, server, tmp_path):
    browser, context, page = camera_page(
        playwright_instance, tmp_path, "https://weixin.qq.com/r/abcdef"
    )
    try:
        login_and_sync(page, server)
        page.goto(server.url + "/scan")
        message = page.locator("[data-testid=scan-message]")
        message.wait_for()
        assert "不是本系统的标签" in message.inner_text()
    finally:
        context.close()
        browser.close()


def test_denied_camera_falls_back_to_manual_entry(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + "/scan")  # no camera permission granted in this context
    page.wait_for_selector("text=无法使用相机")
    page.fill(
        "input[aria-label='手动输入标签号']",
        TAGS["terminal"].lower()[:4] + "-" + TAGS["terminal"][4:],
    )
    page.click("text=打开")
    page.wait_for_selector(f"[data-testid=device][data-tag='{TAGS['terminal']}']")
