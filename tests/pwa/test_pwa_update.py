"""A new release waits behind a banner; taking it reloads the page and the half-filled checklist comes back."""

import pytest
from fake_server import TAGS
from helpers import login_and_sync, reload_controlled, wait_until_true

pytestmark = pytest.mark.browser


def test_update_banner_then_draft_restored(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    reload_controlled(page)
    page.goto(server.url + f"/d/{TAGS['terminal']}/check")
    page.locator("[data-testid=item]").nth(1).locator("input[type=number]").fill("42")
    wait_until_true(
        page,  # the draft write has landed in IndexedDB
        f"import('/static/js/db.js').then((db) => db.getMeta('draft:{TAGS['terminal']}'))"
        ".then((draft) => JSON.stringify(draft?.values ?? {}).includes('42'))",
    )

    server.state.deploy_marker = "2"
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator("[data-testid=update-banner]")
    banner.wait_for()
    assert banner.inner_text() == "新版本可用 — 点击更新"
    assert (
        page.locator("[data-testid=item]").nth(1).locator("input[type=number]").input_value()
        == "42"
    )

    with page.expect_navigation():
        banner.click()
    page.wait_for_selector("[data-testid=checklist]")
    page.wait_for_function(
        "() => document.querySelectorAll('input[type=number]')[0].value === '42'"
    )
    assert page.locator("[data-testid=update-banner]").count() == 0
