"""axe-core finds no serious or critical violations on the fault form, the fault page and the swap screen."""

import pytest
from fake_server import TAGS
from helpers import login_and_sync
from test_pwa_a11y import serious_violations

pytestmark = pytest.mark.browser


def test_fault_form_and_fault_page_have_no_serious_violations(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + f"/d/{TAGS['terminal']}/fault")
    page.wait_for_selector("[data-testid=fault-form]")
    page.click(
        "[data-testid=fault-form] button[type=submit]"
    )  # empty description: the error is shown, nothing saved
    page.wait_for_selector("[data-testid=fault-form] [role=alert]")
    assert serious_violations(page) == []
    page.fill("#fault-description", "no picture")
    page.click("[data-testid=fault-form] button[type=submit]")
    page.wait_for_selector("[data-testid=fault]")
    page.click("[data-step=resolved]")
    page.wait_for_selector("[data-testid=step-form]")
    assert serious_violations(page) == []


def test_swap_screen_has_no_serious_violations(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + "/swap")
    page.wait_for_selector("[data-testid=swap][data-stage=faulty]")
    page.fill(
        "input[aria-label='手动输入标签号']", "GZ0000000"
    )  # not a valid tag: a message is shown
    page.click("text=打开")
    page.wait_for_selector("[data-testid=swap-message]")
    assert serious_violations(page) == []
