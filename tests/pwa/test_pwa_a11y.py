"""axe-core (vendored for tests only) finds no serious or critical accessibility violations on the main screens."""

from pathlib import Path

import pytest
from fake_server import TAGS
from helpers import login_and_sync

pytestmark = pytest.mark.browser
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def serious_violations(page):
    # Evaluated, not added as an inline <script>: the page's CSP (rightly) refuses inline script.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


SCREENS = [
    ("/", "[data-testid=plan]"),
    ("/scan", "[data-testid=scan]"),
    (f"/d/{TAGS['terminal']}", "[data-testid=device]"),
    (f"/d/{TAGS['terminal']}/check", "[data-testid=checklist]"),
    ("/outbox", "main section"),
    ("/settings", "main section"),
]


def test_login_screen_has_no_serious_violations(context, server):
    page = context.new_page()
    page.goto(server.url + "/")
    page.wait_for_selector("[data-testid=login-form]")
    assert serious_violations(page) == []


@pytest.mark.parametrize(("path", "ready"), SCREENS)
def test_main_screens_have_no_serious_violations(context, server, path, ready):
    page = context.new_page()
    login_and_sync(page, server)
    page.goto(server.url + path)
    page.wait_for_selector(ready)
    assert serious_violations(page) == []


def test_site_visit_screen_has_no_serious_violations(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    page.locator("[data-testid=plan] button").click()
    page.wait_for_selector("[data-testid=visit]")
    assert serious_violations(page) == []
