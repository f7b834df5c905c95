"""The scanner against the real server: foreign codes are named, a denied camera leaves manual
entry (our printed label read by the camera: test_e2e_real_server.py)."""

import pytest
from conftest import launch, new_context
from field_seed import new_device
from phone import Phone
from y4m import qr_frame, write_y4m

pytestmark = [pytest.mark.browser, pytest.mark.live]


def camera_context(playwright_instance, tmp_path, text):
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
    return browser, context


def test_a_foreign_qr_code_is_named_not_ours(playwright_instance, live_server, tmp_path):
    browser, context = camera_context(
        playwright_instance, tmp_path, "https://weixin.qq.com/r/abcdef"
    )
    try:
        phone = Phone.of(context, live_server).sign_in()
        phone.open("/scan")
        message = phone.page.locator("[data-testid=scan-message]")
        message.wait_for()
        assert "不是本系统的标签" in message.inner_text()
        assert phone.page.url.endswith("/scan")  # stayed: nothing was opened
    finally:
        context.close()
        browser.close()


def test_denied_camera_falls_back_to_manual_entry(context, live_server):
    tag = new_device(live_server)["tag"]
    phone = Phone.of(context, live_server).sign_in()
    phone.open("/scan")  # no camera permission granted in this context
    phone.page.wait_for_selector("text=无法使用相机")
    phone.page.fill("input[aria-label='手动输入标签号']", tag.lower()[:4] + "-" + tag[4:])
    phone.page.click("text=打开")
    phone.page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']")


# Every stream the page opens, kept where the test can read its tracks' state.
RECORD_STREAMS = """
(() => {
  window.__streams = [];
  const devices = navigator.mediaDevices;
  const real = devices.getUserMedia.bind(devices);
  devices.getUserMedia = (wanted) => real(wanted).then((s) => { window.__streams.push(s); return s; });
  localStorage.setItem('xj-signed-in', '1');  // a phone signed in at its last boot
})();
"""


def test_the_camera_opened_early_on_scan_is_stopped_when_nobody_is_signed_in(
    playwright_instance, live_server, tmp_path
):
    browser, context = camera_context(playwright_instance, tmp_path, "unused")
    try:
        context.add_init_script(RECORD_STREAMS)
        phone = Phone.of(context, live_server).open("/scan")  # signed out: the hint is stale
        phone.page.wait_for_selector("[data-testid=login-form]")
        phone.page.wait_for_function("window.__streams.length > 0")  # the head start opened it
        phone.page.wait_for_function(
            "window.__streams.every((s) => s.getTracks().every((t) => t.readyState === 'ended'))"
        )
    finally:
        context.close()
        browser.close()
