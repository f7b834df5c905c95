"""The office pages' shared top bar in real Chromium on the live server: links only to the pages
the role may open, the user and role, one language choice shared with the phone, sign-out
ending the server session, and sign-out everywhere ending every session of the user."""

from __future__ import annotations

import urllib.request

import pytest

from pwa.precache import OFFICE_PAGE_ROLES, OFFICE_PAGES
from tests.chromium import new_context, office_sign_in
from tests.live_server import HttpClient

pytestmark = [pytest.mark.browser, pytest.mark.live]


def me_status(base_url: str, cookies: list[dict]) -> int:
    """/auth/me with a copy of the browser's cookies (what a stolen cookie would do)."""
    header = "; ".join(f"{c['name']}={c['value']}" for c in cookies)
    request = urllib.request.Request(base_url + "/api/v1/auth/me", headers={"Cookie": header})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.parametrize("role", ["viewer", "engineer", "supervisor", "admin"])
def test_the_top_bar_links_the_pages_the_role_may_open(live_server, browser, role):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, role)
    links = page.locator("header .office-nav a").evaluate_all(
        "(as) => as.map((a) => a.dataset.page)"
    )
    assert links == [name for name in OFFICE_PAGES if role in OFFICE_PAGE_ROLES[name]]
    assert (
        page.locator("header .office-nav a[aria-current=page]").get_attribute("href") == "/coverage"
    )
    role_word = {"viewer": "审计", "engineer": "工程师", "supervisor": "主管", "admin": "管理员"}[
        role
    ]
    assert role_word in page.locator("#who").inner_text()
    assert page.locator("#logout").inner_text() == "退出登录"
    assert page.locator("#logout-all").inner_text() == "退出所有设备"
    context.close()


def test_one_language_choice_for_phone_and_office(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(live_server.base_url + "/login")  # the phone's sign-in: choose English there
    page.wait_for_selector("[data-testid=login-form]")
    page.get_by_role("button", name="English").click()
    office_sign_in(page, live_server.base_url, "supervisor", "/faults")
    assert page.locator("#logout").inner_text() == "Sign out"
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("#lang")  # back to Chinese in the office ...
    page.wait_for_function("() => document.querySelector('#logout').textContent === '退出登录'")
    page.goto(live_server.base_url + "/login")  # ... and the phone shows Chinese too
    page.wait_for_selector("[data-testid=login-form]")
    assert page.evaluate("localStorage.getItem('xj.lang')") == "zh-CN"
    assert page.locator("button[type=submit]").inner_text().strip() == "登录"
    context.close()


def test_sign_out_ends_the_server_session(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor")
    cookies = context.cookies()
    assert me_status(live_server.base_url, cookies) == 200
    page.click("#logout")
    page.wait_for_selector("form.login")
    assert page.locator("header .office-nav a").count() == 0
    assert me_status(live_server.base_url, cookies) == 401
    context.close()


def test_sign_out_everywhere_ends_every_session_of_the_user(live_server, browser):
    other = HttpClient(live_server.base_url).login("admin")  # the same user on another device
    assert other.get("/api/v1/auth/me").status == 200
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "admin", "/handover")
    page.click("#logout-all")
    page.wait_for_selector("form.login")
    assert other.get("/api/v1/auth/me").status == 401
    bystander = HttpClient(live_server.base_url).login("supervisor")
    assert bystander.get("/api/v1/auth/me").status == 200  # only this user's sessions ended
    context.close()
