"""The assessment page in real headless Chromium against a live server with the demo province."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Device, DeviceType, User
from server.services.faults import lifecycle as faults
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import serve
from tests.server.frozen import cst

pytestmark = [pytest.mark.browser, pytest.mark.live]

PDF = b"%PDF-1.4\n% praise letter\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def a_late_fault_in_2025() -> int:
    """A camera fault of June 2025, answered after 3 hours (-20 on the av form), then resolved."""
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    camera = db.session.scalar(
        sa.select(Device)
        .join(DeviceType)
        .where(DeviceType.code == "L09", Device.status == "in_service")
        .order_by(Device.id)
    )
    at = cst(2025, 6, 10, 10, 0)
    fault = faults.create_fault(
        tag=camera.tag, description="无图像", user=supervisor, source="phone", reported_at=at
    )
    faults.add_step(fault, "responded", at + timedelta(hours=3), supervisor)
    faults.add_step(fault, "resolved", at + timedelta(hours=4), supervisor, resolution="换线")
    return fault.id


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("instance"), demo=True, seed=a_late_fault_in_2025) as live:
        yield live


def _ready(page):
    page.wait_for_selector('#app[data-period="2025-01-01..2025-12-31"]:not([aria-busy])')


def _score(page, form, line):
    return page.inner_text(f'section[data-form="{form}"] [data-line="{line}"] .score')


def test_a_praise_letter_moves_the_score_by_ten(demo_server, browser, tmp_path):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    _ready(page)
    assert "服务考核" in page.inner_text("header")
    total = int(page.inner_text('section[data-form="av"] [data-total]'))
    service = int(_score(page, "av", "service").split(" / ")[0])
    # without daily checks all year the working days are points, each with its records
    page.click('section[data-form="av"] [data-line="daily_inspection"] summary')
    first = page.locator('[data-line="daily_inspection"] .point').first
    assert first.locator("a[data-kind=coverage]").count() == 1
    assert "每日健康检查" in first.inner_text()
    assert "履约保证金" in page.inner_text("#money")

    letter = tmp_path / "表扬信.pdf"
    letter.write_bytes(PDF)
    form = page.locator("#event")
    form.locator("select[name=form]").select_option("av")
    form.locator("select[name=item]").select_option("service")
    form.locator("select[name=rule]").select_option("written_praise")
    assert form.locator("input[name=points]").input_value() == "10"
    form.locator("textarea[name=description]").fill("省局来函表扬年度会议保障")
    form.locator("input[name=files]").set_input_files(str(letter))
    form.locator("button.primary").click()
    page.wait_for_function("() => document.querySelector('#event-done').textContent.length > 0")
    page.wait_for_function(
        "(want) => document.querySelector('section[data-form=av] [data-line=service] .score')"
        ".textContent === want",
        arg=f"{service + 10} / 30",
    )
    assert int(page.inner_text('section[data-form="av"] [data-total]')) == total + 10
    page.click('section[data-form="av"] [data-line="service"] summary')
    praise = page.locator('[data-line="service"] .point[data-rule="written_praise"]')
    assert "+10" in praise.inner_text()
    href = praise.locator("a[data-kind=attachment]").get_attribute("href")
    assert page.request.get(demo_server.base_url + href).body() == PDF

    page.click("#lang")
    _ready(page)
    assert "Assessment" in page.inner_text("header")
    page.click('section[data-form="av"] [data-line="service"] summary')
    assert "Written praise" in page.inner_text('[data-line="service"]')
    context.close()


def test_without_an_event_nothing_is_saved_and_the_error_names_the_field(demo_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    _ready(page)
    form = page.locator("#event")
    form.locator("select[name=item]").select_option("service")
    form.locator("select[name=rule]").select_option("complaint")
    form.locator("textarea[name=description]").fill("投诉，未附材料")
    form.locator("button.primary").click()
    page.wait_for_selector("#event-error:not(:empty)")
    assert page.inner_text("#event-done") == ""
    context.close()


def test_the_auditor_reads_only(demo_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{demo_server.base_url}/assessment")
    page.fill("input[name=username]", "viewer")
    page.fill("input[name=password]", "shenji-demo-2026")
    page.click("form.login button")
    _ready(page)
    assert page.locator("#event").count() == 0
    assert "只读" in page.inner_text("#event-section")
    # the viewer reads the events but may neither correct nor withdraw them
    page.wait_for_selector("#events > *")
    assert page.locator("#events [data-action]").count() == 0
    context.close()


def test_a_point_leads_to_its_fault_and_its_quarter(demo_server, browser):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    _ready(page)
    fault_id = demo_server.seeded
    page.click('section[data-form="av"] [data-line="emergency"] summary')
    late = page.locator('[data-line="emergency"] .point[data-rule="late_response"]')
    assert late.locator(".pts").inner_text() == "-20"
    late.locator("a[data-kind=fault]").click()
    page.wait_for_selector(f'#faults tr.linked[data-fault="{fault_id}"]')
    assert page.input_value("form.controls input[name=month]") == "2025-06"
    page.go_back()
    _ready(page)
    page.click('section[data-form="av"] [data-line="daily_inspection"] summary')
    short = page.locator(
        '[data-line="daily_inspection"] .point[data-rule="missed_quarterly_visit"]'
    )
    short.first.locator("a[data-kind=coverage]").click()
    page.wait_for_selector(".tile")
    assert page.input_value("form.controls input[name=quarter]") == "2025Q1"
    context.close()


def test_works_on_a_phone(demo_server, browser):
    context = new_context(
        browser, viewport={"width": 375, "height": 740}, is_mobile=True, has_touch=True
    )
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    _ready(page)
    page.click('section[data-form="av"] [data-line="daily_inspection"] summary')
    # a mobile layout viewport widens to fit overflowing content, so compare with the device width
    assert page.evaluate("document.documentElement.scrollWidth") <= 376
    context.close()


def _service(page) -> int:
    return int(_score(page, "av", "service").split(" / ")[0])


def _wait_service(page, want: int) -> None:
    page.wait_for_function(
        "(want) => document.querySelector('section[data-form=av] [data-line=service] .score')"
        ".textContent === want",
        arg=f"{want} / 30",
    )


def test_a_correction_and_a_withdrawal_move_the_score(demo_server, browser, tmp_path):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    _ready(page)
    base = _service(page)
    letter = tmp_path / "letter.pdf"
    letter.write_bytes(PDF)
    form = page.locator("#event")
    form.locator("select[name=item]").select_option("service")
    form.locator("select[name=rule]").select_option("written_praise")
    form.locator("textarea[name=description]").fill("来函表扬")
    form.locator("input[name=files]").set_input_files(str(letter))
    form.locator("button.primary").click()
    _wait_service(page, base + 10)
    first = int(page.inner_text("#event-done").split("#")[1].split("。")[0])

    # 更正: the form opens prefilled; a praise that was really a complaint moves the line down
    page.click(f'li.ev[data-event="{first}"] [data-action=correct]')
    assert "更正考核事件" in page.inner_text("#event-section h2")
    assert form.locator("textarea[name=description]").input_value() == "来函表扬"
    form.locator("select[name=rule]").select_option("complaint")
    complaint = int(form.locator("input[name=points]").input_value())
    assert complaint < 0
    form.locator("textarea[name=description]").fill("实为投诉函，录错规则")
    form.locator("button.primary").click()
    _wait_service(page, max(0, base + complaint))
    # The score and the event list are drawn from two answers: wait for the list too.
    page.wait_for_selector(f'li.ev[data-event="{first}"]', state="detached")
    second = int(page.inner_text("#event-done").split("#")[1].split("。")[0])
    row = page.locator(f'li.ev[data-event="{second}"]')
    row.locator(".history summary").click()
    history = row.locator(".history").inner_text()
    assert f"被 #{second} 更正" in history and "实为投诉函" in history

    # 撤回: asks for the reason, then the line returns to where it was
    row.locator("[data-action=withdraw]").click()
    row.locator("form.withdraw button.primary").click()  # no reason: the browser refuses it
    assert row.locator("form.withdraw input[name=reason]:invalid").count() == 1
    row.locator("form.withdraw input[name=reason]").fill("投诉已撤销")
    row.locator("form.withdraw button.primary").click()
    _wait_service(page, base)
    row = page.locator('li.ev.gone[data-event]:has-text("投诉已撤销")')
    row.wait_for()
    assert row.locator("[data-action]").count() == 0
    assert "已撤回" in row.inner_text()
    context.close()
