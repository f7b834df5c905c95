"""The supervisor's faults page in real headless Chromium against a live server with demo data."""

from __future__ import annotations

import os
from datetime import timedelta

import pytest
import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Device, DeviceType, Room, Site, User, utcnow
from server.services.faults import lifecycle as faults
from server.services.faults import swaps
from server.services.faults.spares import STORE_NAME
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import HttpClient, serve

pytestmark = [pytest.mark.browser, pytest.mark.live]

DEMO_PASSWORD = "zhuguan-demo-2026"  # the demo seed's supervisor (server/services/demo.py)


def _anchor():
    """Now, or just before this China-time month began when it began under 3 hours ago,
    so every seeded event (up to 2 hours back) falls in one month."""
    now = utcnow()
    local = now.astimezone(periods.CST)
    month_start = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if local - month_start >= timedelta(hours=3):
        return now
    return month_start.astimezone(now.tzinfo) - timedelta(minutes=1)


def faults_and_a_flagged_swap() -> dict:
    """One fault with no response (breached), one resolved, and a swap flagged for a supervisor."""
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    cameras = db.session.scalars(
        sa.select(Device)
        .join(DeviceType)
        .where(DeviceType.code == "L09", Device.status == "in_service", Device.room_id.is_not(None))
        .order_by(Device.id)
    ).all()
    spare = db.session.scalar(
        sa.select(Device)
        .join(DeviceType)
        .where(DeviceType.code == "L09", Device.status == "spare")
        .order_by(Device.id)
    )
    breached, resolved, scanned = cameras[0], cameras[1], cameras[2]
    now = _anchor()
    late = faults.create_fault(
        tag=breached.tag,
        description="No picture",
        user=supervisor,
        source="phone",
        reported_at=now - timedelta(hours=2),
    )
    done = faults.create_fault(
        tag=resolved.tag,
        description="No sound",
        user=supervisor,
        source="phone",
        reported_at=now - timedelta(hours=1),
    )
    faults.add_step(done, "responded", now - timedelta(minutes=55), supervisor)
    faults.add_step(
        done, "resolved", now - timedelta(minutes=20), supervisor, resolution="Cable reseated"
    )
    other_room = db.session.scalar(
        sa.select(Room).where(Room.id != scanned.room_id, Room.kind != "store").order_by(Room.id)
    )
    swap = swaps.record_swap(
        faulty_tag=scanned.tag,
        spare_tag=spare.tag,
        user=supervisor,
        swapped_at=now - timedelta(minutes=10),
        expected_room_id=other_room.id,
    )
    assert swap.state == "flagged"
    site = db.session.get(Site, other_room.site_id)
    return {
        "month": periods.current_month(late.reported_at),
        "breached": late.id,
        "breached_tag": breached.tag,
        "resolved": done.id,
        "swap": swap.id,
        "spare_tag": spare.tag,
        "swap_site": site.name,
    }


@pytest.fixture(scope="module")
def faults_server(tmp_path_factory):
    """The demo province with the faults above, served; (live server, what the seed made)."""
    with serve(
        tmp_path_factory.mktemp("instance"), demo=True, seed=faults_and_a_flagged_swap
    ) as live:
        yield live, live.seeded


def _sign_in(page, base, month):
    supervisor_sign_in(page, f"{base}/faults", DEMO_PASSWORD)
    page.wait_for_selector("form.controls")
    page.fill("input[name=month]", month)
    page.click("form.controls button.primary")
    # The month asked for has loaded (the first, default month may still be on its way).
    page.wait_for_selector(f'#app[data-month="{month}"]:not([aria-busy])')
    page.wait_for_selector('.card[data-key="rate"]')
    page.wait_for_selector("[data-swap], #swaps p.muted")


def test_supervisor_sees_the_month_and_resolves_a_swap(faults_server, browser):
    live, seeded = faults_server
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    _sign_in(page, live.base_url, seeded["month"])
    assert page.inner_text('.card[data-key="rate"] b') == "50.0%"
    assert page.inner_text('.card[data-key="reported"] b') == "2"
    assert "未达标" in page.inner_text('.card[data-key="rate"]')
    breach = page.locator(f'#breaches tr[data-fault="{seeded["breached"]}"][data-kind="breached"]')
    assert breach.count() >= 1
    assert "响应" in page.inner_text("#breaches")
    assert page.locator(f'#breaches tr[data-fault="{seeded["resolved"]}"]').count() == 0
    resolved_row = page.locator(f'#faults tr[data-fault="{seeded["resolved"]}"]')
    assert resolved_row.locator('[data-clock="response"]').get_attribute("data-state") == "met"
    late_row = page.locator(f'#faults tr[data-fault="{seeded["breached"]}"]')
    assert late_row.locator('[data-clock="response"]').get_attribute("data-state") == "breached"
    assert STORE_NAME in page.inner_text("#pool")
    assert seeded["spare_tag"] in page.inner_text("#pool")

    box = page.locator(f'[data-swap="{seeded["swap"]}"]')
    box.locator("input[name=note]").fill("Checked by phone: the unit is in the scanned room")
    box.locator('button[data-action="apply"]').click()
    page.wait_for_selector(f'[data-swap="{seeded["swap"]}"]', state="detached")
    api = HttpClient(live.base_url).login("supervisor", DEMO_PASSWORD)
    swap = api.get(f"/api/v1/swaps/{seeded['swap']}").json()
    assert swap["state"] == "applied"
    assert swap["resolution_note"].startswith("Checked by phone")
    assert seeded["spare_tag"] not in page.inner_text("#pool")  # the pool was read again

    page.fill("#custody-form input[name=tag]", seeded["spare_tag"])
    page.click("#custody-form button")
    page.wait_for_selector("#custody-result table")
    history = page.inner_text("#custody-result")
    assert STORE_NAME in history and seeded["swap_site"] in history

    page.click("#lang")
    page.wait_for_selector('.card[data-key="rate"]')
    assert "Faults and spares" in page.inner_text("header")
    if os.environ.get("FAULTS_SCREENSHOT"):
        page.screenshot(path=os.environ["FAULTS_SCREENSHOT"], full_page=True)
    context.close()


def test_works_on_a_phone(faults_server, browser):
    live, seeded = faults_server
    context = new_context(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    _sign_in(page, live.base_url, seeded["month"])
    page.wait_for_selector("#faults table")
    # a mobile layout viewport widens to fit overflowing content, so compare with the device width
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    if os.environ.get("FAULTS_SCREENSHOT"):
        page.screenshot(
            path=os.environ["FAULTS_SCREENSHOT"].replace(".png", "-phone.png"), full_page=True
        )
    context.close()
