"""The fault desk and the audit log viewer in real Chromium on the live server: a supervisor logs a
phone-reported fault, sees its clocks, records a step, assigns an engineer whose phone's Today then
lists it; the client's viewer reads the audit log, filtered by who, with the changes in words."""

from __future__ import annotations

import pytest
from field_seed import new_device
from phone import Phone
from test_pwa_a11y import serious_violations

from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_the_fault_desk_logs_a_phone_fault_and_records_a_step(live_server, browser):
    device = new_device(live_server)
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/desk")
    page.wait_for_selector("#app[data-loaded] #log")  # drawn again once the sites have come
    assert page.locator("header .office-nav a[aria-current=page]").inner_text() == "故障受理"
    page.fill("#log input[name=tag]", device["tag"])
    page.fill("#log input[name=caller]", "张三")
    page.fill("#log input[name=description]", "投影无信号")
    page.click("#log button")
    page.wait_for_selector(f"#detail[data-fault] >> text={device['tag']}")
    assert (
        page.locator(f"#faults tr:has-text('{device['tag']}') [data-clock=response]").count() == 1
    )
    assert "计时中" in page.locator("#detail [data-clock=response]").inner_text()
    page.select_option("#step-form select[name=step]", "responded")
    page.fill("#step-form input[name=note]", "已电话联系")
    page.click("#step-form button")
    page.wait_for_selector("#steps >> text=已电话联系")
    assert serious_violations(page) == []
    assert "已响应" in page.locator("#detail h2").inner_text()
    # A close with no resolution: refused in words, nothing closed.
    page.click("#close-form button")
    page.wait_for_selector("#detail-error:not(:empty)")
    page.check("#filters input[name=breached]")
    page.wait_for_function("() => document.querySelector('#app').dataset.loaded === '0'")
    context.close()


def test_the_desk_assigns_an_engineer_and_the_engineers_today_lists_it(live_server, browser):
    device = new_device(live_server)
    desk = new_context(browser, locale="zh-CN")
    page = desk.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/desk")
    page.wait_for_selector("#app[data-loaded] #log")  # drawn again once the sites have come
    page.fill("#log input[name=tag]", device["tag"])
    page.fill("#log input[name=description]", "话筒无声")
    page.click("#log button")
    page.wait_for_selector("#detail[data-fault] #assign-form")
    assert "未指派" in page.locator("#assignee").inner_text()
    # Only the active engineers are offered (and nobody); the supervisor is not one of them.
    offered = page.locator("#assign-form select[name=user_id] option").all_inner_texts()
    assert offered == ["未指派", "Engineer", "Engineer2"]
    page.select_option("#assign-form select[name=user_id]", label="Engineer")
    page.fill("#assign-form input[name=note]", "请今天到场")
    page.click("#assign-form button")
    page.wait_for_selector("#steps tr[data-step=assigned] >> text=Engineer")
    assert "请今天到场" in page.locator("#steps tr[data-step=assigned]").inner_text()
    assert "Engineer" in page.locator("#assignee").inner_text()
    row = page.locator(f"#faults tr:has-text('{device['tag']}') td[data-assignee]")
    assert row.inner_text() == "Engineer"
    assert serious_violations(page) == []
    desk.close()

    field = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(field, live_server).sign_in("engineer")
    phone.open("/", "[data-testid=assigned-faults]")
    assigned = phone.page.locator("[data-testid=assigned-fault]")
    assert assigned.count() == 1
    assert device["tag"] in assigned.inner_text() and "话筒无声" in assigned.inner_text()
    assert phone.page.get_by_text("指派给我的故障").count() == 1
    assigned.locator("a").click()
    phone.page.wait_for_selector("[data-testid=fault]")
    field.close()

    # Another engineer's Today has no such section.
    other = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(other, live_server).sign_in("engineer2")
    phone.open("/", "[data-testid=outbox-counts]")
    assert phone.page.locator("[data-testid=assigned-faults]").count() == 0
    other.close()


def test_the_audit_log_filters_by_who_for_the_clients_viewer(live_server, browser):
    new_device(live_server)  # written by admin
    context = new_context(browser, locale="en")
    page = context.new_page()
    page.add_init_script("localStorage.setItem('xj.lang', 'en')")
    office_sign_in(page, live_server.base_url, "viewer", "/audit")
    page.wait_for_selector("#app[data-loaded] #rows table")
    page.fill("#filters input[name=actor]", "admin")
    page.select_option("#filters select[name=action]", "create")
    page.click("#filters button")
    page.wait_for_function(
        "() => [...document.querySelectorAll('#rows tbody tr')].length > 0"
        " && [...document.querySelectorAll('#rows tbody tr')].every("
        "(tr) => tr.children[1].textContent === 'admin' && tr.children[3].textContent === 'created')"
    )
    assert "device #" in page.locator("#rows tbody").inner_text()
    assert page.locator("#pager").inner_text().startswith("Page 1")
    assert serious_violations(page) == []
    context.close()
