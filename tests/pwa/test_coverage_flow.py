"""Issue 5's "done when", end to end in Chromium against the real server with the demo province:
a supervisor plans the quarter on /coverage, the engineer's phone shows its entries, the
engineer inspects two units of a planned bureau and syncs, and the map and the table then
show exactly what the records say was and was not covered."""

from __future__ import annotations

from datetime import date

import pytest
from field_seed import count, current_quarter
from helpers import jpeg_bytes
from phone import Phone

from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import HttpClient, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]
SUPERVISOR, ENGINEER = ("supervisor", "zhuguan-demo-2026"), ("engineer", "gongcheng-demo-2026")


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("instance"), demo=True) as live:
        yield live


def plan_on_the_coverage_page(page, base: str) -> None:
    supervisor_sign_in(page, f"{base}/coverage", SUPERVISOR[1])
    page.wait_for_selector(".tile")
    page.fill("#plan-form input[name=seed]", "2026")
    page.click("#plan-form button.primary")
    page.wait_for_selector("#plan-entries tbody tr")
    assert page.locator("#plan-entries tbody tr").count() == 30


def inspect_on_the_phone(phone: Phone, entry: dict, tags: list[str]) -> None:
    """Start the visit from Today, fill the checklist of each unit, finish, and sync."""
    page = phone.page
    page.locator(f"[data-testid=plan][data-entry='{entry['id']}']").get_by_role(
        "button", name="在此开始巡检"
    ).click()
    phone.wait_path("/visit")
    for tag in tags:
        phone.open(f"/d/{tag}/check")
        phone.fill_checklist(jpeg_bytes(), item_jpeg=jpeg_bytes((20, 120, 40)))
        page.click("[data-testid=save-check]")
        phone.wait_path("/visit")  # back to the open visit
    phone.open("/visit/summary")
    page.locator("[data-testid=summary] button.weui-btn_primary").click()
    phone.wait_path("/")
    phone.wait_outbox(["sent"] * (1 + len(tags)))


def test_planned_visit_synced_from_the_phone_shows_on_the_map_and_table(demo_server, browser):
    base, quarter = demo_server.base_url, current_quarter(date.today())
    desk = new_context(browser, viewport={"width": 1280, "height": 900})
    page = desk.new_page()
    plan_on_the_coverage_page(page, base)

    supervisor = HttpClient(base).login(*SUPERVISOR)
    engineer_id = HttpClient(base).login(*ENGINEER).get("/api/v1/auth/me").json()["user"]["id"]
    [listed] = supervisor.get(f"/api/v1/plans?kind=quarterly&period={quarter}").json()["items"]
    plan = supervisor.get(f"/api/v1/plans/{listed['id']}").json()
    mine = {e["id"]: e for e in plan["entries"] if e["engineer_id"] == engineer_id}
    assert mine

    phone = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    field = phone.new_page()
    Phone(field, base).sign_in(*ENGINEER)
    field.wait_for_selector("[data-testid=plan]")
    shown = field.locator("[data-testid=plan]")
    assert {int(shown.nth(i).get_attribute("data-entry")) for i in range(shown.count())} == set(
        mine
    )
    entry = mine[int(shown.first.get_attribute("data-entry"))]
    units = supervisor.get(f"/api/v1/devices?site={entry['site_code']}&per_page=100").json()[
        "items"
    ]
    assert len(units) > 2
    inspect_on_the_phone(Phone(field, base), entry, [u["tag"] for u in units[:2]])
    assert (
        count(
            demo_server,
            "select count(*) from inspection i join visit v on v.id = i.visit_id "
            "where v.plan_entry_id = :e",
            e=entry["id"],
        )
        == 2
    )

    page.click("form.controls button.primary")  # the supervisor looks again
    tile = page.locator(f'.tile[data-code="{entry["site_code"]}"][data-state="partial"]')
    tile.wait_for()
    row = next(
        r
        for r in supervisor.get(f"/api/v1/coverage?quarter={quarter}").json()["sites"]
        if r["code"] == entry["site_code"]
    )
    assert (
        row["visited"],
        row["planned"],
        row["expected"],
        row["inspected"],
        row["missing"],
        row["unexpected"],
    ) == (True, True, len(units), 2, len(units) - 2, 0)
    table_row = page.locator("#table tr", has_text=entry["site_code"]).inner_text()
    assert f"\t{len(units)}\t2\t{len(units) - 2}\t0\t" in table_row
    tile.click()
    page.wait_for_selector("#site-name")
    detail = page.inner_text("#site")
    assert all(u["tag"] in detail for u in units)
    desk.close()
    phone.close()
