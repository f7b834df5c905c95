"""The fault desk's comments and escalation in real Chromium on the live server: a supervisor
comments with a photo (a text file is refused in Chinese before anything is sent), escalates to
level 1 and hands the fault to the vendor with a reason; the timeline says so in Chinese with who
and when, /faults shows the same timeline, and the assignee's phone shows the level on Today."""

from __future__ import annotations

import io

import pytest
from field_seed import new_device
from phone import Phone
from test_pwa_a11y import serious_violations

from tests.chromium import new_context, office_sign_in
from tests.pwa.chinese_text import english_words

pytestmark = [pytest.mark.browser, pytest.mark.live]


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 12), (30, 120, 200)).save(out, "PNG")
    return out.getvalue()


def test_the_desk_comments_with_a_photo_and_escalates_and_the_phone_shows_it(live_server, browser):
    device = new_device(live_server)
    desk = new_context(browser, locale="zh-CN")
    page = desk.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/desk")
    page.wait_for_selector("#app[data-loaded] #log")
    page.fill("#log input[name=tag]", device["tag"])
    page.fill("#log input[name=description]", "大屏闪烁")
    page.click("#log button")
    page.wait_for_selector("#detail[data-fault] #comment-form")
    fault_id = page.locator("#detail").get_attribute("data-fault")
    # The clocks as on /faults: the state and the time left.
    assert "响应: 计时中" in page.locator("#detail [data-clock=response]").inner_text()
    assert "min" in page.locator("#detail [data-clock=response]").inner_text()

    # A text file is refused by the page, in Chinese, and nothing is uploaded.
    files = "#comment-form input[name=files]"
    page.set_input_files(files, [{"name": "说明.txt", "mimeType": "text/plain", "buffer": b"hi"}])
    page.fill("#comment-form textarea[name=text]", "附件不对")
    page.click("#comment-form button")
    page.wait_for_selector("#detail-error:has-text('只接受')")
    assert page.locator("#steps tr[data-comment]").count() == 0

    page.set_input_files(files, [{"name": "现场.png", "mimeType": "image/png", "buffer": _png()}])
    page.fill("#comment-form textarea[name=text]", "现场照片：屏幕左侧闪烁")
    page.click("#comment-form button")
    comment = page.locator("#steps tr[data-comment]")
    comment.wait_for()
    assert "现场照片：屏幕左侧闪烁" in comment.inner_text() and "评论" in comment.inner_text()
    assert comment.locator("a.file[data-file='image/png'] img").count() == 1
    assert comment.locator("a.file").get_attribute("href").startswith("/api/v1/faults/attachments/")

    # Assign the second engineer, then escalate: level 1, to the vendor, with a reason.
    page.select_option("#assign-form select[name=user_id]", label="Engineer2")
    page.click("#assign-form button")
    page.wait_for_selector("#steps tr[data-step=assigned]")
    page.select_option("#escalate-form select[name=level]", "1")
    page.select_option("#escalate-form select[name=tier]", "vendor")
    page.fill("#escalate-form input[name=reason]", "明天省局有视频会议")
    page.click("#escalate-form button")
    step = page.locator("#steps tr[data-step=escalated]")
    step.wait_for()
    text = step.inner_text()
    assert "已升级" in text and "等级升为一级故障" in text and "转交厂家" in text
    assert "明天省局有视频会议" in text and "Supervisor" in text
    assert "一级故障" in page.locator("#escalation").inner_text()
    timeline = page.locator("#steps").inner_text()
    names = ("Supervisor", "Engineer2", "png")  # people's names and the file's own name
    assert not [w for w in english_words(timeline) if w not in names]
    # Level 1 is the top: the form offers no higher level now.
    assert page.locator("#escalate-form select[name=level] option").all_inner_texts() == ["不变"]
    assert serious_violations(page) == []

    # /faults shows the same timeline, read only.
    page.goto(f"{live_server.base_url}/faults")
    page.click(f"#faults button[data-open='{fault_id}']")
    page.wait_for_selector(f"#fault-detail[data-fault='{fault_id}'] #steps tr[data-comment]")
    detail = page.locator("#fault-detail")
    assert "等级升为一级故障" in detail.inner_text() and "现场照片" in detail.inner_text()
    assert detail.locator("form").count() == 0
    assert serious_violations(page) == []
    desk.close()

    field = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(field, live_server).sign_in("engineer2")
    phone.open("/", "[data-testid=assigned-faults]")
    http = live_server.client("supervisor")
    uuid = http.get(f"/api/v1/faults/{fault_id}").json()["uuid"]
    mine = phone.page.locator(f"[data-testid=assigned-fault][data-uuid='{uuid}']")
    assert "一级故障" in mine.inner_text() and "转交厂家" in mine.inner_text()
    field.close()
