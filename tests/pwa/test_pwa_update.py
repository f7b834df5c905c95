"""A new release waits behind a banner; taking it reloads the page and the half-filled checklist
comes back. On the fake server: only it can publish a second release under a running test
(tests/pwa/fake_server.py says why)."""

import pytest
from fake_server import TAG
from phone import Phone

pytestmark = pytest.mark.browser
DRAFT_HAS_42 = (
    f"import('/static/js/db.js').then((db) => db.getMeta('draft:{TAG}'))"
    ".then((draft) => JSON.stringify(draft?.values ?? {}).includes('42'))"
)


def test_update_banner_then_draft_restored(context, server):
    phone = Phone.of(context, server).sign_in("eng", "pw", controlled=True)
    page = phone.open(f"/d/{TAG}/check", "[data-testid=checklist]").page
    reading = page.locator("[data-testid=item]").nth(1).locator("input[type=number]")
    reading.fill("42")
    phone.wait_until(DRAFT_HAS_42, "the draft written to IndexedDB")
    assert page.locator("[data-testid=update-banner]").count() == 0  # same release so far

    server.state.deploy_marker = "2"
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    banner = page.locator("[data-testid=update-banner]")
    banner.wait_for()
    assert banner.inner_text() == "新版本可用 — 点击更新"
    assert reading.input_value() == "42"

    with page.expect_navigation():
        banner.click()
    page.wait_for_selector("[data-testid=checklist]")
    page.wait_for_function(
        "() => document.querySelectorAll('input[type=number]')[0].value === '42'"
    )
    assert page.locator("[data-testid=update-banner]").count() == 0
