"""The dashboard in real Chromium on the live server: a supervisor signing in on the app lands
on it; each tile links to its page; the charts are SVG drawn from the answer; Chinese with no
English word; axe-core clean; the viewer's copy has no review queue; English on request."""

from __future__ import annotations

import pytest
from chinese_text import assert_chinese
from test_pwa_a11y import serious_violations

from tests.chromium import new_context, office_sign_in
from tests.live_server import PASSWORD, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]


def scene() -> dict:
    """tests/server/dashboard_scene.py at the real now, the engineer named in Chinese."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import User, utcnow
    from tests.server.dashboard_scene import build

    def user(name: str) -> User:
        return db.session.scalar(sa.select(User).where(User.username == name))

    engineer = user("engineer")
    engineer.display_name = "张工"
    user("supervisor").display_name = "王主管"
    made = build(engineer, user("supervisor"), utcnow())
    return {"late": made.late.id, "near": made.near.id}


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("dashboard"), seed=scene) as server:
        yield server


def test_a_supervisor_lands_on_the_dashboard_and_reads_it_in_chinese(live, browser):
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{live.base_url}/login")
    page.wait_for_selector("[data-testid=login-form]")
    page.fill("#username", "supervisor")
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/dashboard")
    page.wait_for_selector("#app[data-loaded] #charts svg")
    links = {
        tile: page.locator(f"#tile-{tile} h2 a").get_attribute("href")
        for tile in (
            "daily",
            "faults",
            "plan",
            "overdue",
            "spares",
            "review",
            "assessment",
            "meetings",
        )
    }
    assert links["faults"] == "/desk" and links["review"] == "/review"
    assert links["daily"].startswith("/coverage") and links["plan"].startswith("/coverage?quarter=")
    assert links["assessment"] == "/assessment" and links["meetings"] == "/meetings"
    assert page.locator("#field-app").get_attribute("href") == "/?field=1"  # the way back
    daily = page.locator("#tile-daily").inner_text()
    assert "已完成" in daily and "张工" in daily
    faults = page.locator("#tile-faults")
    assert "2 个未结" in faults.inner_text()
    first = faults.locator("li").first
    assert first.get_attribute("data-fault") == str(live.seeded["late"])
    assert "响应 超时" in first.inner_text()
    assert first.locator("a").get_attribute("href") == f"/faults?fault={live.seeded['late']}"
    assert "下限 3" in page.locator("#tile-spares").inner_text()
    assert "7 天内没有安排会议" in page.locator("#tile-meetings").inner_text()
    # Five charts, each an <svg role=img> with its title; this month's two faults as a bar.
    assert page.locator("#charts svg[role=img]").count() == 5
    assert page.locator("#chart-faults svg > title").text_content() == "每月故障数与已解决数"
    assert page.locator("#chart-faults rect.bar[data-value='2']").count() == 1
    assert page.locator("#chart-coverage rect.bar").count() > 0
    assert_chinese(page, "/dashboard")
    assert serious_violations(page) == []
    page.click("header #lang")
    page.wait_for_selector("h1:text('Dashboard')")
    assert "Open faults" in page.locator("#tile-faults").inner_text()
    context.close()


def test_the_viewer_reads_it_without_the_review_queue(live, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live.base_url, "viewer", "/dashboard", "#app[data-loaded] #charts svg")
    assert page.locator("#tile-review").count() == 0
    assert page.locator("#field-app").count() == 0  # viewers get no field app
    assert page.locator("#tile-faults h2 a").get_attribute("href") == "/faults"
    assert (
        page.locator(".office-nav a[data-page=dashboard]").get_attribute("aria-current") == "page"
    )
    assert serious_violations(page) == []
    context.close()
