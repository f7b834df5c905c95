"""axe-core (vendored for tests only) finds no serious or critical accessibility violations on
the phone's main screens, served by the real server with a planned site and its devices."""

from pathlib import Path

import pytest
from field_seed import planned_site
from phone import Phone

from tests.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.live]
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


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """One real server for the module: reference data, a plan, two devices at the planned site."""
    with serve(tmp_path_factory.mktemp("a11y")) as live:
        yield live, planned_site(live)


SCREENS = [
    ("/", "[data-testid=plan]"),
    ("/scan", "[data-testid=scan]"),
    ("/d/{tag}", "[data-testid=device]"),
    ("/d/{tag}/check", "[data-testid=checklist]"),
    ("/outbox", "main section"),
    ("/settings", "main section"),
]


def test_login_screen_has_no_serious_violations(context, field):
    live, _ = field
    phone = Phone.of(context, live).open("/", "[data-testid=login-form]")
    assert serious_violations(phone.page) == []


@pytest.mark.parametrize(("path", "ready"), SCREENS)
def test_main_screens_have_no_serious_violations(context, field, path, ready):
    live, seeded = field
    phone = Phone.of(context, live).sign_in()
    phone.open(path.format(tag=seeded["devices"][0]["tag"]), ready)
    assert serious_violations(phone.page) == []


def test_site_visit_screen_has_no_serious_violations(context, field):
    live, seeded = field
    phone = Phone.of(context, live).sign_in()
    entry = seeded["entry"]["id"]
    phone.page.locator(f"[data-testid=plan][data-entry='{entry}'] button").click()
    phone.page.wait_for_selector("[data-testid=visit] [data-testid=todo]")
    assert phone.page.locator("[data-testid=todo]").count() == 2
    assert serious_violations(phone.page) == []
