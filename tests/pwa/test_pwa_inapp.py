"""In-app browsers (WeChat's and others): without getUserMedia the scanner takes a photo of the
label, decoded by the same zxing-wasm; without service workers the phone says offline use needs the
system browser, and how to open it (Chinese by default, English selectable)."""

import io

import pytest
from conftest import new_context
from field_seed import new_device
from phone import Phone
from PIL import Image

import labels

pytestmark = [pytest.mark.browser, pytest.mark.live]

NO_CAMERA = "delete MediaDevices.prototype.getUserMedia;"
NO_SERVICE_WORKER = "delete Navigator.prototype.serviceWorker;"
WECHAT = (
    "Mozilla/5.0 (Linux; Android 13; V2171A) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MicroMessenger/8.0.47.2560 "
    "WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64"
)


def test_a_photo_of_our_label_opens_the_device_without_a_camera_api(browser, live_server):
    device = new_device(live_server)
    tag = device["tag"]
    png = labels.render_png(
        labels.LabelData(tag=tag, url=labels.qr_url(live_server.base_url, tag), type_name="终端"),
        "roll-40x30",
        dpi=300,
    )
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_init_script(NO_CAMERA)
    try:
        phone = Phone.of(context, live_server).sign_in()
        page = phone.open("/scan", "[data-testid=scan-photo]").page
        assert "不能直接打开相机" in page.locator("[role=alert]").first.inner_text()
        assert page.get_attribute("[data-testid=scan-photo]", "capture") == "environment"
        assert page.get_attribute("[data-testid=scan-photo]", "accept") == "image/*"
        page.set_input_files(
            "[data-testid=scan-photo]",
            files=[{"name": "label.png", "mimeType": "image/png", "buffer": png}],
        )
        page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']")
        assert page.locator("[data-testid=device-type]").inner_text() == device["type"]["name_zh"]
    finally:
        context.close()


def test_a_photo_without_a_code_says_so(browser, live_server):
    blank = io.BytesIO()
    Image.new("RGB", (640, 480), (200, 200, 200)).save(blank, "PNG")
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_init_script(NO_CAMERA)
    try:
        page = (
            Phone.of(context, live_server).sign_in().open("/scan", "[data-testid=scan-photo]").page
        )
        page.set_input_files(
            "[data-testid=scan-photo]",
            files=[{"name": "blank.png", "mimeType": "image/png", "buffer": blank.getvalue()}],
        )
        message = page.locator("[data-testid=scan-message]")
        message.wait_for()
        assert "照片里没有读到二维码" in message.inner_text() and page.url.endswith("/scan")
    finally:
        context.close()


@pytest.mark.parametrize(
    "lang,title,steps",
    [
        ("zh-CN", "此浏览器不能离线使用", "「···」，选择「在浏览器打开」"),
        ("en", "This browser cannot work offline", "Tap ··· at the top right, then 在浏览器打开"),
    ],
)
def test_without_service_workers_the_phone_says_to_open_the_system_browser(
    browser, live_server, lang, title, steps
):
    context = new_context(
        browser, locale="zh-CN", viewport={"width": 390, "height": 844}, user_agent=WECHAT
    )
    context.add_init_script(NO_SERVICE_WORKER)
    context.add_init_script(f"localStorage.setItem('xj.lang', '{lang}');")
    try:
        phone = Phone.of(context, live_server).open("/login", "[data-testid=login-form]")
        notice = phone.page.locator("[data-testid=no-offline]")
        assert notice.get_attribute("data-browser") == "wechat"
        assert title in notice.inner_text() and steps in notice.inner_text()
        phone.log_in("engineer")
        phone.page.wait_for_selector("[data-testid=no-offline]")  # Today says it too
        hint = phone.page.locator(".xj-banner-info", has_text="离线数据更安全")
        assert hint.count() == 0  # no "add to home screen" hint where it cannot work
    finally:
        context.close()


def test_with_service_workers_nothing_is_said(context, live_server):
    phone = Phone.of(context, live_server).open("/login", "[data-testid=login-form]")
    assert phone.page.locator("[data-testid=no-offline]").count() == 0
