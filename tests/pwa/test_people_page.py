"""The people page in real Chromium on the live server: a weak new password is refused in
Chinese with nothing changed, a good one is taken; the admin creates a user, changes a role,
disables and enables it (a disabled one gets no code); a viewer sees only the own-password form."""

from __future__ import annotations

import pytest

from tests.chromium import new_context, office_sign_in
from tests.live_server import PASSWORD, HttpClient

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_admin_manages_people_and_own_password(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "admin", "/people", "form#own")
    page.wait_for_selector("#users tbody tr[data-user=viewer]")
    assert page.locator("header .office-nav a[aria-current=page]").inner_text() == "人员与密码"
    page.fill("#own input[name=current_password]", PASSWORD)
    page.fill("#own input[name=new_password]", "password1")
    page.click("#own button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")
    assert page.locator("#message").get_attribute("class") != "ok"
    assert HttpClient(live_server.base_url).login("admin").get("/api/v1/auth/me").status == 200
    page.fill("#create input[name=username]", "wang.fang")
    page.fill("#create input[name=display_name]", "王芳")
    page.select_option("#create select[name=role]", "supervisor")
    page.fill("#create input[name=password]", "黔南巡检-蓝色的山-2026")
    page.click("#create button[type=submit]")
    page.wait_for_selector("#users tbody tr[data-user='wang.fang']")
    page.select_option("tr[data-user='wang.fang'] select", "engineer")
    page.wait_for_selector("#message.ok")
    users = HttpClient(live_server.base_url).login("admin").get("/api/v1/users?per_page=500")
    row = next(u for u in users.json()["items"] if u["username"] == "wang.fang")
    assert row["role"] == "engineer"
    # Disable, then enable again: the row says so in Chinese; a disabled account gets no code.
    page.click("tr[data-user='wang.fang'] [data-toggle]")
    page.wait_for_selector("tr[data-user='wang.fang'] td:nth-child(4):text-is('已停用')")
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("tr[data-user='wang.fang'] [data-reset]")
    page.wait_for_selector("#message:has-text('该账号已停用')")
    assert page.locator("#reset-code").is_hidden()
    page.click("tr[data-user='wang.fang'] [data-toggle]")
    page.wait_for_selector("tr[data-user='wang.fang'] td:nth-child(4):text-is('启用')")
    assert HttpClient(live_server.base_url).login("wang.fang", "黔南巡检-蓝色的山-2026")
    context.close()


def test_viewer_changes_own_password_only(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "viewer", "/people", "form#own")
    assert page.locator("#admin").is_hidden()
    page.fill("#own input[name=current_password]", PASSWORD)
    page.fill("#own input[name=new_password]", "绿色的河-走过三座桥")
    page.click("#own button[type=submit]")
    page.wait_for_selector("#message.ok")
    assert "密码已修改" in page.locator("#message").inner_text()
    assert HttpClient(live_server.base_url).login("viewer", "绿色的河-走过三座桥")
    context.close()
