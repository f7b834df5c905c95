"""axe-core finds no serious or critical violations on the fault form, the fault page and the
swap screen, served by the real server."""

import pytest
from field_seed import new_device
from phone import Phone
from test_pwa_a11y import serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_fault_form_and_fault_page_have_no_serious_violations(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.open(f"/d/{device['tag']}/fault", "[data-testid=fault-form]").page
    # An empty description: the error is shown, nothing saved.
    page.click("[data-testid=fault-form] button[type=submit]")
    page.wait_for_selector("[data-testid=fault-form] [role=alert]")
    assert phone.outbox() == []
    assert serious_violations(page) == []
    page.fill("#fault-description", "无图像")
    page.click("[data-testid=fault-form] button[type=submit]")
    page.wait_for_selector("[data-testid=fault]")
    page.click("[data-step=resolved]")
    page.wait_for_selector("[data-testid=step-form]")
    assert serious_violations(page) == []


def test_swap_screen_has_no_serious_violations(context, live_server):
    phone = Phone.of(context, live_server).sign_in()
    page = phone.open("/swap", "[data-testid=swap][data-stage=faulty]").page
    page.fill("input[aria-label='手动输入标签号']", "GZ0000000")  # not a valid tag: a message
    page.click("text=打开")
    page.wait_for_selector("[data-testid=swap-message]")
    assert serious_violations(page) == []
