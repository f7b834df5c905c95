"""Outside demo mode, in real Chromium: the admin signs in with the published demo password, is
made to choose a new one (in Chinese) before anything else, reaches the people page and issues a
one-time code for the engineer; the engineer signs in on the phone with the code, must set a
new password, and then works; the code does not work twice."""

from __future__ import annotations

import pytest

from tests.chromium import new_context
from tests.live_server import HttpClient, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]
ADMIN_NEW = "贵阳-老城区-三条小巷"
ENGINEER_NEW = "凯里-清水江-两座木桥"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(
        tmp_path_factory.mktemp("first-sign-in"), demo=True, env={"XUNJIAN_DEMO": "0"}
    ) as live:
        yield live


def test_demo_password_is_replaced_then_a_code_resets_the_engineer(server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(server.base_url + "/people")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "guanli-demo-2026")
    page.click("form.login button")
    form = page.wait_for_selector("form#password-change")
    assert "请设置新密码" in form.inner_text() and "演示密码" in form.inner_text()
    # Until the change, the API refuses the page's data in one clear code.
    refused = page.evaluate("fetch('/api/v1/users').then(async (r) => [r.status, await r.json()])")
    assert refused[0] == 403 and refused[1]["error"]["code_name"] == "password_change_required"
    page.fill("#password-change input[name=current_password]", "guanli-demo-2026")
    page.fill("#password-change input[name=new_password]", "password1")
    page.fill("#password-change input[name=repeat]", "password1")
    page.click("#password-change button[type=submit]")
    error = page.wait_for_selector("#password-change .error:has-text('密码太弱')")
    assert "密码太弱" in error.inner_text()
    page.fill("#password-change input[name=current_password]", "guanli-demo-2026")
    page.fill("#password-change input[name=new_password]", ADMIN_NEW)
    page.fill("#password-change input[name=repeat]", ADMIN_NEW)
    page.click("#password-change button[type=submit]")
    page.wait_for_selector("#users tbody tr[data-user=engineer]")
    assert page.locator("header #own-password").inner_text() == "修改密码"
    assert page.locator("header #logout-all").inner_text() == "退出所有设备"
    # The last admin cannot be demoted: refused in Chinese, nothing changed.
    page.select_option("tr[data-user=admin] select", "viewer")
    page.wait_for_selector("#message:has-text('最后一位在用的管理员')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-user=engineer] [data-reset]")
    code = page.wait_for_selector("#reset-code:not([hidden]) [data-code]").inner_text()
    assert "只显示这一次" in page.locator("#reset-code").inner_text()
    page.wait_for_selector("tr[data-user=engineer] :text('须设置新密码')")
    context.close()

    phone = new_context(browser, locale="zh-CN")
    page = phone.new_page()
    page.goto(server.base_url + "/login")
    page.fill("#username", "engineer")
    page.fill("#password", code)
    page.click("[data-testid=login-form] button[type=submit]")
    form = page.wait_for_selector("[data-testid=password-change]")
    assert "一次性登录码" in form.inner_text()
    assert page.locator("#pw-current").count() == 0  # the code stood for the current password
    page.fill("#pw-new", ENGINEER_NEW)
    page.fill("#pw-repeat", ENGINEER_NEW)
    page.click("[data-testid=password-change] button[type=submit]")
    page.wait_for_selector("nav.xj-tabbar")
    phone.close()

    assert (
        HttpClient(server.base_url)
        .login("engineer", ENGINEER_NEW)
        .get("/api/v1/auth/me")
        .json()["user"]["must_change_password"]
        is False
    )
    again = HttpClient(server.base_url).post_json(
        "/api/v1/auth/login", {"username": "engineer", "password": code}
    )
    assert again.status == 401
    assert HttpClient(server.base_url).login("admin", ADMIN_NEW).get("/api/v1/users").status == 200
