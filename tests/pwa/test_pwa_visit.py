"""A site visit shows expected vs inspected devices, flags a device registered elsewhere, and sends visit + inspections."""

import json

import pytest
from fake_server import TAGS
from helpers import login_and_sync
from test_pwa_session import save_quick_check

pytestmark = pytest.mark.browser


def test_site_visit_expected_scanned_unexpected_and_sent(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.locator("[data-testid=plan] button").click()
    page.wait_for_selector("[data-testid=visit]")
    assert page.locator("[data-testid=todo]").count() == 2

    save_quick_check(page, server, TAGS["terminal"])
    page.goto(server.url + f"/d/{TAGS['other_site']}")
    assert (
        "此设备登记在其他点位：云岩区医疗保障局"
        in page.locator("[data-testid=device]").inner_text()
    )
    save_quick_check(page, server, TAGS["other_site"])

    page.goto(server.url + "/visit")
    page.wait_for_selector("[data-testid=visit]")
    assert page.locator("[data-testid=todo]").count() == 1
    assert page.locator("[data-testid=done]").count() == 1
    assert "云岩区医疗保障局" in page.locator("[data-testid=unexpected]").inner_text()

    page.goto(server.url + "/visit/summary")
    page.fill("#summary", "camera not reachable")
    page.click("text=确认结束并保存")
    page.wait_for_selector("[data-testid=plan]")
    page.goto(server.url + "/outbox")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=outbox-record][data-state=sent]').length === 3"
    )

    records = [json.loads(r) for r in server.state.records.values()]
    [visit] = [r for r in records if r["type"] == "visit"]
    inspections = [r for r in records if r["type"] == "inspection"]
    assert visit["data"]["site_code"] == "520102" and visit["data"]["plan_entry_id"] == 12
    assert {i["data"]["visit_uuid"] for i in inspections} == {visit["uuid"]}


def test_language_choice_persists(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + "/settings")
    page.click("text=English")
    assert page.locator(".xj-header h1").inner_text() == "Settings"
    page.reload()
    page.wait_for_selector(".xj-header h1:has-text('Settings')")
    assert page.evaluate("document.documentElement.lang") == "en"
