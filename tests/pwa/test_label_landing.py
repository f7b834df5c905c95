"""A label's URL (/d/<tag>) opened signed out, as WeChat's and a plain Android browser's camera
open it, with and without a service worker, in real Chromium on the live server: sign-in shows
the label's owner line and support phone, then each role lands on its page (an engineer the
field device page, a supervisor or admin the office device page, the viewer a read-only one
with no field pack); a stranger gets only the form. Sign-in refuses to return off the site."""

from __future__ import annotations

import pytest
from field_seed import new_device
from phone import Phone

from tests.chromium import new_context
from tests.live_server import PASSWORD, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]

SUPPORT_PHONE = "0851-86800000"
USER_AGENTS = {
    "wechat": "Mozilla/5.0 (Linux; Android 13; V2148A Build/TP1A.220624.014; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 "
    "MMWEBSDK/20231202 MMWEBID/2307 MicroMessenger/8.0.47.2560(0x28002F35) WeChat/arm64 "
    "Weixin NetType/WIFI Language/zh_CN ABI/arm64",
    "android": "Mozilla/5.0 (Linux; Android 13; SM-A536B) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0.0.0 Mobile Safari/537.36",
}
ROLES = ("engineer", "supervisor", "admin", "viewer", "stranger")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live server with a support phone; (server, a device with an open fault)."""
    env = {"LABEL_SUPPORT_PHONE": SUPPORT_PHONE, "LABEL_OWNER_LINE": "贵州省医疗保障局"}
    with serve(tmp_path_factory.mktemp("instance"), env=env) as server:
        device = new_device(server)
        fault = server.client("engineer").post_json(
            "/api/v1/faults", {"tag": device["tag"], "description": "投影仪不亮"}
        )
        assert fault.status == 201, fault.body
        yield server, device


def label_context(browser, agent: str, worker: str):
    return new_context(
        browser,
        locale="zh-CN",
        user_agent=USER_AGENTS[agent],
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        service_workers=worker,
    )


def open_label(context, server, tag: str, worker: str) -> Phone:
    """The label's URL as a camera opens it; with a worker allowed, the worker (registered by
    an earlier visit of the app) serves the navigation."""
    phone = Phone.of(context, server)
    if worker == "allow":
        phone.open("/login", "[data-testid=login-form]")
        phone.page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    phone.open(f"/d/{tag}", "[data-testid=login-form]")
    controlled = phone.page.evaluate("() => !!navigator.serviceWorker?.controller")
    assert controlled is (worker == "allow")
    return phone


@pytest.mark.parametrize("worker", ["allow", "block"])
@pytest.mark.parametrize("agent", sorted(USER_AGENTS))
@pytest.mark.parametrize("role", ROLES)
def test_a_label_url_survives_sign_in_and_opens_the_roles_page(live, browser, agent, worker, role):
    server, device = live
    tag = device["tag"]
    context = label_context(browser, agent, worker)
    pulls = []
    context.on("request", lambda r: pulls.append(r.url) if "/api/v1/sync/pull" in r.url else None)
    phone = open_label(context, server, tag, worker)
    page = phone.page
    contact = page.locator("[data-testid=label-contact]")
    contact.wait_for()
    assert "贵州省医疗保障局" in contact.inner_text() and SUPPORT_PHONE in contact.inner_text()
    assert (
        page.locator(".xj-tabbar").count() == 0
        and page.locator("[data-testid=device]").count() == 0
    )
    if role == "stranger":
        page.fill("#username", "nobody")
        page.fill("#password", "not-a-password-1")
        page.click("button[type=submit]")
        page.wait_for_selector(".xj-error")
        assert page.evaluate("location.pathname") == f"/d/{tag}"
        assert page.locator("[data-testid=device]").count() == 0
        context.close()
        return
    page.fill("#username", role)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    if role == "engineer":
        page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']")
        assert page.evaluate("location.pathname") == f"/d/{tag}"
    else:
        page.wait_for_url(f"**/devices/{tag}")
        page.wait_for_selector("#details dd[data-field=status]")
        page.wait_for_selector("#faults tbody td:has-text('投影仪不亮')")
        actions = page.locator("[data-testid=device-actions]")
        if role == "viewer":
            assert page.locator("[data-testid=read-only]").is_visible()
            assert not actions.is_visible()
            # nothing that writes: the only buttons are the top bar's (sign-out, language)
            assert page.locator("main button, main form").count() == 0
            assert pulls == [], "a viewer got a field pack"
        else:
            assert actions.is_visible() and not page.locator("[data-testid=read-only]").is_visible()
            assert actions.locator(f"a[href='/d/{tag}?field=1']").count() == 1
    context.close()


def test_the_field_app_link_keeps_a_supervisor_on_the_field_device_page(live, browser):
    server, device = live
    context = label_context(browser, "android", "block")
    phone = open_label(context, server, device["tag"], "block")
    phone.page.fill("#username", "supervisor")
    phone.page.fill("#password", PASSWORD)
    phone.page.click("button[type=submit]")
    phone.page.wait_for_url(f"**/devices/{device['tag']}")
    phone.page.click("[data-testid=device-actions] a[href$='field=1']")
    phone.page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    context.close()


def test_an_engineer_on_an_office_device_page_goes_to_the_field_page(live, browser):
    server, device = live
    context = label_context(browser, "android", "block")
    page = context.new_page()
    page.goto(f"{server.base_url}/devices/{device['tag']}")
    page.fill("input[name=username]", "engineer")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"**/d/{device['tag']}")
    context.close()


@pytest.mark.parametrize(
    "next_path",
    [
        "//evil.example/x",
        "https://evil.example/",
        "/\\evil.example",
        "javascript:alert(1)",
        "/%5Cevil.example",
        "\t//evil.example",
    ],
)
def test_sign_in_refuses_to_return_off_the_site(live, browser, next_path):
    server, _ = live
    context = label_context(browser, "wechat", "block")
    phone = Phone.of(context, server)
    page = phone.page
    page.goto(f"{server.base_url}/login?next={next_path}")
    phone.log_in("engineer", PASSWORD)  # waits for Today, "/"
    assert page.evaluate("location.origin") == server.base_url
    context.close()


def test_sign_in_returns_to_a_next_path_on_the_site(live, browser):
    server, device = live
    context = label_context(browser, "android", "block")
    page = context.new_page()
    page.goto(f"{server.base_url}/login?next=/d/{device['tag']}")
    page.fill("#username", "engineer")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    context.close()
