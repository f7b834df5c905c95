"""Every page works in real Chromium under the server's Content-Security-Policy."""

from __future__ import annotations

import pytest

from tests.chromium import CSP_SENTINEL, new_context, supervisor_sign_in
from tests.live_server import PASSWORD, live_database_template, live_server  # noqa: F401  (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.live]
SENTINEL = f"""() => document.body.appendChild(Object.assign(document.createElement('img'),
                                                           {{src: 'http://{CSP_SENTINEL}/s.png', alt: ''}})) && true"""


def reported_so_far(page, violations: list[str]) -> list[str]:
    """The violations reported until now, with no fixed wait: a known violation (an image from
    another origin, refused by img-src) is made and its securitypolicyviolation report awaited;
    reports are queued in order, so every earlier one has arrived by then."""
    with page.expect_console_message(
        lambda m: m.text.startswith("CSP violation") and CSP_SENTINEL in m.text
    ):
        page.evaluate(SENTINEL)
    return list(violations)


def test_the_field_app_runs_under_the_policy(live_server, browser):  # noqa: F811
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live_server.base_url + "/login")
    page.wait_for_selector("#username")  # the field app booted: its import map and modules ran
    page.fill("#username", "engineer")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_function("() => location.pathname === '/'")
    page.wait_for_selector("main select option:nth-child(2)", state="attached")  # the pack arrived
    page.evaluate("() => navigator.serviceWorker.ready.then(() => true)")
    assert reported_so_far(page, context.csp_violations) == []
    context.close()


def test_the_supervisor_pages_run_under_the_policy(live_server, browser):  # noqa: F811
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    supervisor_sign_in(page, live_server.base_url + "/coverage", PASSWORD)
    page.wait_for_selector(".tile")  # the map: tiles placed and coloured through the CSSOM
    assert page.eval_on_selector(".tile", "el => getComputedStyle(el).gridColumnStart") != "auto"
    for path, ready in (("/faults", "form.controls"), ("/labels", "#app:not([hidden])")):
        page.goto(live_server.base_url + path)
        page.wait_for_selector(ready)
    assert reported_so_far(page, context.csp_violations) == []
    context.close()
