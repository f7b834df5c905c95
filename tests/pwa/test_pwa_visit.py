"""Against the real server, a site visit shows expected vs inspected devices, flags a device
registered elsewhere, and sends the visit and its inspections; the language choice persists."""

import pytest
from field_seed import count, planned_site
from helpers import jpeg_bytes
from phone import Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_site_visit_expected_scanned_unexpected_and_sent(context, live_server):
    seeded = planned_site(live_server)
    [here, _], elsewhere = seeded["devices"], seeded["elsewhere"]
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    page.locator(f"[data-testid=plan][data-entry='{seeded['entry']['id']}'] button").click()
    page.wait_for_selector("[data-testid=visit] [data-testid=todo]")
    assert page.locator("[data-testid=todo]").count() == 2

    phone.save_check(here["tag"], jpeg_bytes((0, 128, 0), (64, 48)))
    phone.open(f"/d/{elsewhere['tag']}", "[data-testid=device]")
    warning = f"此设备登记在其他点位：{elsewhere['site']['name']}"
    page.get_by_text(warning).wait_for()
    phone.save_check(elsewhere["tag"], jpeg_bytes((0, 0, 128), (64, 48)))

    phone.open("/visit", "[data-testid=visit] [data-testid=done]")
    assert page.locator("[data-testid=todo]").count() == 1
    assert page.locator("[data-testid=done]").count() == 1
    assert elsewhere["site"]["name"] in page.locator("[data-testid=unexpected]").inner_text()

    phone.open("/visit/summary", "#summary")
    page.fill("#summary", "摄像机无法连接")
    page.click("text=确认结束并保存")
    page.wait_for_selector("[data-testid=plan]")
    records = phone.wait_outbox(["sent"] * 3)
    [visit] = [r for r in records if r["type"] == "visit"]
    assert {r["data"]["visit_uuid"] for r in records if r["type"] == "inspection"} == {
        visit["uuid"]
    }
    entry = seeded["entry"]["id"]
    assert count(live_server, "select count(*) from visit where plan_entry_id = :e", e=entry) == 1
    visit_id = count(live_server, "select id from visit where uuid = :u", u=visit["uuid"])
    assert (
        count(live_server, "select site_id from visit where id = :v", v=visit_id)
        == (seeded["site"]["id"])
    )
    assert (
        count(live_server, "select count(*) from inspection where visit_uuid = :u", u=visit["uuid"])
        == 2
    )
    phone.open("/outbox")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=outbox-record][data-state=sent]').length === 3"
    )


def test_language_choice_persists(context, live_server):
    phone = Phone.of(context, live_server).sign_in()
    page = phone.open("/settings", "main section").page
    page.click("text=English")
    page.wait_for_selector(".xj-header h1:has-text('Settings')")
    page.reload()
    page.wait_for_selector(".xj-header h1:has-text('Settings')")
    assert page.evaluate("document.documentElement.lang") == "en"
