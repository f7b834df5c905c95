"""The coverage page in real headless Chromium against a live server with demo data."""

from __future__ import annotations

import os
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Device, Room, User
from server.services.plans import plans
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import serve
from tests.server.plans_helpers import FieldFactory

pytestmark = [pytest.mark.browser, pytest.mark.live]


def plan_with_one_visited_site() -> str:
    """The 2026Q1 sample (seed 4) and a visit inspecting every unit of its first site."""
    plan = plans.create_plan("quarterly", "2026Q1", seed=4)
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    entry = plan.entries[0]
    visit = FieldFactory().visit(
        entry.site, engineer, datetime(2026, 2, 3, 2, tzinfo=UTC), plan_entry=entry
    )
    devices = db.session.scalars(
        sa.select(Device).join(Room).where(Room.site_id == entry.site_id)
    ).all()
    for device in devices:
        FieldFactory().inspection(visit, device)
    return entry.site.code


@pytest.fixture(scope="module")
def coverage_server(tmp_path_factory):
    """The demo province, a plan and one visited site, served; (URL, visited site code)."""
    with serve(
        tmp_path_factory.mktemp("instance"), demo=True, seed=plan_with_one_visited_site
    ) as live:
        yield live.base_url, live.seeded


def _sign_in(page, base):
    supervisor_sign_in(page, f"{base}/coverage")
    page.wait_for_selector(".tile")


def test_map_shows_coverage_and_site_detail(coverage_server, browser):
    base, visited = coverage_server
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, base)
    page.fill("input[name=quarter]", "2026Q1")
    page.click("form.controls button.primary")
    page.wait_for_selector(f'.tile[data-code="{visited}"][data-state="complete"]')
    assert page.locator(".tile").count() == 99
    assert page.locator('.tile[data-state="planned"], .tile[data-state="missed"]').count() == 29
    assert page.locator('.card[data-key="visited"] b').inner_text() == "1"
    page.click(f'.tile[data-code="{visited}"]')
    page.wait_for_selector("#site-name")
    assert visited in page.inner_text("#site")
    assert "是" in page.inner_text("#site")  # inspected in the period, in Chinese
    page.click("#lang")
    page.wait_for_selector(".tile")
    assert "Inspection coverage" in page.inner_text("header")
    page.click('#tabs button[data-list="missing"]')
    page.wait_for_selector("#list table")
    if os.environ.get("COVERAGE_SCREENSHOT"):
        page.evaluate("window.scrollTo(0, 0)")
        page.screenshot(path=os.environ["COVERAGE_SCREENSHOT"], full_page=False)
    context.close()


def test_works_on_a_phone(coverage_server, browser):
    base, _ = coverage_server
    context = new_context(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    _sign_in(page, base)
    page.wait_for_selector("#planner")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
    box = page.locator(".tile").first.bounding_box()
    assert box["width"] >= 18 and abs(box["width"] - box["height"]) < 2
    page.locator(".tile").nth(5).tap()
    page.wait_for_selector("#site-name")
    context.close()
