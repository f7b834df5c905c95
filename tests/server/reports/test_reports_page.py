"""The reports page in real headless Chromium against a live server with the demo province."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Device, Room, User
from server.services.plans import plans
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import HttpClient, serve
from tests.server.meetings import month_fixture
from tests.server.plans_helpers import FieldFactory

pytestmark = [pytest.mark.browser, pytest.mark.live]

DEMO_PASSWORD = "zhuguan-demo-2026"


def december_inspection() -> dict:
    """A monthly inspection of two province-bureau units in December 2025, one failing."""
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    province = plans.province_bureau()
    units = db.session.scalars(
        sa.select(Device).join(Room).where(Room.site_id == province.id).order_by(Device.id).limit(2)
    ).all()
    field = FieldFactory()
    visit = field.visit(province, engineer, datetime(2025, 12, 9, 2, tzinfo=UTC), kind="monthly")
    field.inspection(visit, units[0])
    field.inspection(visit, units[1], outcome="fail", failed_items=["image"])
    meeting = month_fixture.meeting_row(
        "全省医保年终视频会", "provincial_video", province, month_fixture.A_START, 2, [], [engineer]
    )
    db.session.commit()
    return {"failed_tag": units[1].tag, "meeting_id": meeting.id}


@pytest.fixture(scope="module")
def reports_server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("instance"), demo=True, seed=december_inspection) as live:
        yield live, live.seeded


def _frame_text(page) -> str:
    frame = page.frame_locator("#preview")
    frame.locator("h1").wait_for()
    return frame.locator("body").inner_text()


def test_supervisor_previews_and_downloads_a_report(reports_server, browser):
    live, seeded = reports_server
    context = new_context(browser, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    supervisor_sign_in(page, f"{live.base_url}/reports", DEMO_PASSWORD)
    page.wait_for_selector(".report-list")
    assert "报告" in page.inner_text("header nav")
    register = page.locator('li[data-kind="meeting_register"]')
    assert (
        "视频会议系统使用情况登记表" in register.inner_text() and "按会议" in register.inner_text()
    )
    assert "会议保障月报" in page.locator('li[data-kind="meetings_monthly"]').inner_text()
    assert page.locator(".report-list .badge").count() == 0  # nothing is "coming" any more

    page.click('button.pick[data-kind="inspection_monthly"]')
    page.fill("input[name=period]", "2025-12")
    page.click("#period-form button.primary")
    text = _frame_text(page)
    assert "设备巡检技术报告" in text and seeded["failed_tag"] in text
    href = page.get_attribute("#download", "href")
    assert href == "/api/v1/reports/inspection_monthly?period=2025-12"

    page.fill("textarea[name=notes]", "建议：检查投影机灯泡寿命。")
    page.click("#notes-form button")
    page.wait_for_function("() => document.querySelector('#notes-state').textContent !== ''")
    page.wait_for_function(
        "() => (document.querySelector('#preview').contentDocument?.body?.innerText || '')"
        ".includes('检查投影机灯泡寿命')"
    )
    api = HttpClient(live.base_url).login("supervisor", DEMO_PASSWORD)
    pdf = api.get(href)
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")

    page.click('button.pick[data-kind="sampling_quarterly"]')
    page.fill("input[name=period]", "2025-13")
    page.click("#period-form button.primary")
    page.wait_for_function("() => document.querySelector('#error').textContent !== ''")
    assert page.is_hidden("#preview")
    page.fill("input[name=period]", "2025Q4")
    page.click("#period-form button.primary")
    assert "全省设备抽样巡检季度报告" in _frame_text(page)

    page.click('button.pick[data-kind="meetings_monthly"]')
    page.fill("input[name=period]", "2025-12")
    page.click("#period-form button.primary")
    text = _frame_text(page)
    assert "会议保障月报" in text and "全省医保年终视频会" in text
    page.fill("input[name=period]", "2025-10")
    page.click("#period-form button.primary")
    page.wait_for_function(
        "() => (document.querySelector('#preview').contentDocument?.body?.innerText || '')"
        ".includes('没有会议保障记录')"
    )

    page.click('button.pick[data-kind="meeting_register"]')
    page.fill("input[name=period]", "2025-12")
    page.dispatch_event("input[name=period]", "change")
    option = f'select[name=meeting] option[value="{seeded["meeting_id"]}"]'
    page.wait_for_selector(option, state="attached")
    page.select_option("select[name=meeting]", str(seeded["meeting_id"]))
    page.click("#period-form button.primary")
    text = _frame_text(page)
    assert "视频会议系统使用情况登记表" in text and "全省医保年终视频会" in text
    href = page.get_attribute("#download", "href")
    assert href == f"/api/v1/reports/meeting_register?meeting={seeded['meeting_id']}"
    assert api.get(href).body.startswith(b"%PDF")
    page.fill("input[name=period]", "2025-10")
    page.dispatch_event("input[name=period]", "change")
    page.wait_for_selector("#no-meetings")
    assert "该月没有会议" in page.inner_text("#no-meetings")
    context.close()  # fails the test on any CSP violation (tests/chromium.py)
