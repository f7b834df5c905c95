"""The meetings page in real Chromium on the live server: a supervisor creates tomorrow's
provincial video conference with 12 listed sites and two engineers and finds it on the calendar;
an overlapping meeting with the same engineer shows the double booking in words; a form that
ends before it starts is refused in Chinese naming the field, nothing created; a bad notice row
is shown as row / column / reason; cancelling works and is in the history. The viewer reads with
no write form."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from test_pwa_a11y import serious_violations

from tests.chromium import new_context, office_sign_in
from tests.live_server import HttpClient

pytestmark = [pytest.mark.browser, pytest.mark.live]

CST = timezone(timedelta(hours=8))
TOMORROW = (datetime.now(CST) + timedelta(days=1)).date()
SITES = [
    "520100",
    "520200",
    "520300",
    "520400",
    "520500",
    "520600",
    "520102",
    "520103",
    "520111",
    "520112",
    "520113",
    "520115",
]


def engineer_ids(http) -> dict[str, int]:
    return {e["name"]: e["id"] for e in http.get("/api/v1/meetings/engineers").json()["items"]}


def fill_meeting(page, title, kind, start, end, engineers, sites=(), speaking=(), platform=None):
    """Fill the form (China-time HH:MM of tomorrow) and save it."""
    form = page.locator("#meeting-form")
    form.locator("input[name=title]").fill(title)
    form.locator("select[name=kind]").select_option(kind)
    if platform:
        form.locator("select[name=platform]").select_option(platform)
    form.locator("select[name=host_site_code]").select_option("520000")
    page.wait_for_function(
        "() => document.querySelector('#meeting-form select[name=host_room_id]').options.length > 1"
    )
    form.locator("select[name=host_room_id]").select_option(index=1)
    for code in sites:
        form.locator(f"input[name=site][value='{code}']").check()
    for code in speaking:
        form.locator(f"input[name=speaking][value='{code}']").check()
    form.locator("input[name=starts_at]").fill(f"{TOMORROW.isoformat()}T{start}")
    form.locator("input[name=ends_at]").fill(f"{TOMORROW.isoformat()}T{end}")
    for engineer_id in engineers:
        form.locator(f"input[name=engineer][value='{engineer_id}']").check()
    form.locator("button[type=submit]").click()


def test_a_supervisor_schedules_checks_and_cancels_meetings(live_server, browser):
    http = HttpClient(live_server.base_url).login("supervisor")
    people = engineer_ids(http)
    first, second = people["Engineer"], people["Engineer2"]
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/meetings", "#meeting-form")
    page.wait_for_selector("#app[data-loaded]")
    assert page.locator("header .office-nav a[aria-current=page]").inner_text() == "会议保障"
    assert page.locator("td.today[aria-current=date]").count() == 1

    fill_meeting(
        page,
        "全省医保视频会议",
        "provincial_video",
        "09:00",
        "11:00",
        [first, second],
        sites=SITES,
        speaking=SITES[:2],
    )
    page.wait_for_selector("#detail[data-meeting] #checks tbody tr")
    assert page.locator("#message").inner_text().startswith("已创建会议")
    assert "参会单位 (12)" in page.locator("#detail dl").inner_text()
    assert page.locator("#warnings li").count() == 0
    checks = page.locator("#checks").inner_text()
    assert "到场" in checks and "联调测试" in checks and "待办" in checks
    cell = page.locator(f"td[data-day='{TOMORROW.isoformat()}']")
    assert "全省医保视频会议" in cell.inner_text()
    assert serious_violations(page) == []

    # The list view, filtered by kind.
    page.click("#view-list")
    page.wait_for_selector("#meeting-list")
    page.select_option("#filters select[name=kind]", "software")
    page.wait_for_function("() => document.querySelector('#app').dataset.loaded === '0'")
    page.select_option("#filters select[name=kind]", "")
    page.wait_for_selector("#meeting-list >> text=全省医保视频会议")

    # A second meeting overlapping the first, with the same engineer: saved, with a warning.
    fill_meeting(
        page,
        "腾讯会议培训",
        "software",
        "10:00",
        "11:30",
        [first],
        platform="tencent_meeting",
        sites=SITES[:3],
    )
    page.wait_for_selector("#warnings [data-warning=engineer_double_booked]")
    warning = page.locator("#warnings [data-warning=engineer_double_booked]").inner_text()
    assert "Engineer" in warning and "全省医保视频会议" in warning and "同一时间" in warning
    other = int(page.locator("#detail").get_attribute("data-meeting"))

    # Ends before it starts: refused in Chinese naming the field; nothing created.
    before = len(http.get(f"/api/v1/meetings?month={TOMORROW:%Y-%m}").json()["items"])
    fill_meeting(
        page, "错误的会议", "provincial_video", "15:00", "14:00", [second], sites=SITES[:1]
    )
    page.wait_for_selector("#form-error [data-error-field=ends_at]")
    error = page.locator("#form-error").inner_text()
    assert "结束时间" in error and "必须晚于开始时间" in error
    assert page.locator("#meeting-form input[name=ends_at][aria-invalid=true]").count() == 1
    after = http.get(f"/api/v1/meetings?month={TOMORROW:%Y-%m}").json()["items"]
    assert len(after) == before == 2

    # A notice with an unknown site: the row, the column and why, in words; nothing imported.
    # (the second meeting is the one open since it was saved)
    page.wait_for_selector(f"#detail[data-meeting='{other}'] #import-form")
    page.set_input_files(
        "#import-form input[name=file]",
        files=[
            {
                "name": "通知.csv",
                "mimeType": "text/csv",
                "buffer": "site,speaking\n520100,是\n999999,否\n".encode(),
            }
        ],
    )
    page.click("#import-form button")
    page.wait_for_selector("#import-errors [data-bad-row='3']")
    bad = page.locator("#import-errors [data-bad-row='3']").inner_text()
    assert "单位" in bad and "没有单位“999999”" in bad
    assert http.get(f"/api/v1/meetings/{other}").json()["site_count"] == 3

    # Change it: the end moves, the history has the second version with the old and new end.
    page.click("#detail #edit")
    page.wait_for_selector(f"#form-title:text('修改会议 #{other}')")
    page.fill("#meeting-form input[name=ends_at]", f"{TOMORROW.isoformat()}T12:00")
    page.click("#meeting-form button[type=submit]")
    page.wait_for_selector("#history tr[data-version='2'] [data-change=ends_at]")
    assert page.locator("#message").inner_text() == "已保存。"
    assert http.get(f"/api/v1/meetings/{other}").json()["version"] == 2

    # Cancel with a reason: the state and the history say so; the warning is gone.
    page.fill("#cancel-form input[name=reason]", "改期")
    page.click("#cancel-form button")
    page.wait_for_selector("#detail [data-testid=cancelled]")
    assert page.locator("#detail dd[data-field=state]").inner_text() == "已取消"
    history = page.locator("#history").inner_text()
    assert "取消" in history and "改期" in history
    assert page.locator("#warnings li").count() == 0
    assert http.get(f"/api/v1/meetings/{other}").json()["state"] == "cancelled"
    href = page.locator("#register-pdf").get_attribute("href")
    assert href == f"/api/v1/meetings/{other}/register.pdf"
    assert http.get(href).status == 200
    assert serious_violations(page) == []
    context.close()


def test_the_viewer_reads_meetings_without_a_write_form(live_server, browser):
    http = HttpClient(live_server.base_url).login("supervisor")
    start = datetime.combine(TOMORROW, datetime.min.time(), CST).replace(hour=9).astimezone(UTC)
    made = http.post_json(
        "/api/v1/meetings",
        {
            "title": "全省视频会议",
            "kind": "provincial_video",
            "host_site_code": "520000",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "site_scope": "list",
            "site_codes": SITES[:4],
        },
    )
    assert made.status == 201, made.body
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "viewer", "/meetings", "[data-testid=read-only]")
    page.wait_for_selector("#app[data-loaded]")
    if page.locator(f"td[data-day='{TOMORROW.isoformat()}']").count() == 0:
        page.click("#next-month")  # tomorrow is next month
    # By keyboard: the day's meeting is a button.
    page.locator(f"td[data-day='{TOMORROW.isoformat()}'] [data-meeting]").first.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#detail[data-meeting] #checks")
    assert page.locator("#meeting-form, #cancel-form, #import-form, #edit").count() == 0
    assert page.locator("#warnings [data-warning=no_engineer]").inner_text() == "还没有安排工程师。"
    assert serious_violations(page) == []
    page.click("header #lang")  # English: the page's words and the enum labels
    page.wait_for_selector("h1:text('Meetings')")
    page.click("#view-list")
    page.wait_for_selector("#meeting-list >> text=provincial video conference")
    page.locator("#meeting-list [data-meeting]").first.press("Enter")
    page.wait_for_selector("#warnings >> text=No engineer assigned yet.")
    context.close()


def _record(rtype: str, data: dict, at: datetime) -> dict:
    import uuid

    return {"uuid": str(uuid.uuid4()), "type": rtype, "client_time": at.isoformat()} | {
        "app_version": "test",
        "data": data,
    }


def test_the_timeline_shows_records_with_both_clocks_and_flags_an_incident_out_of_hours(
    live_server, browser
):
    """Yesterday's meeting, records pushed by the engineer's phone: the timeline in time order,
    who confirmed, the phone's and the server's clocks, the late incident flagged in words
    (its time in China time, not ISO), the register link; by keyboard; English too."""
    http = HttpClient(live_server.base_url).login("supervisor")
    start = (datetime.now(UTC) - timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    made = http.post_json(
        "/api/v1/meetings",
        {
            "title": "昨日全省视频会议",
            "kind": "provincial_video",
            "host_site_code": "520000",
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=2)).isoformat(),
            "site_scope": "list",
            "site_codes": SITES[:3],
            "engineer_ids": [engineer_ids(http)["Engineer"]],
        },
    )
    assert made.status == 201, made.body
    meeting = made.json()
    site = next(s["id"] for s in meeting["sites"] if s["code"] == SITES[0])
    confirmed = start - timedelta(minutes=40)
    late = start + timedelta(hours=4)  # three hours after the end: outside the meeting's hours
    records = [
        _record(
            "meeting_site_confirmation",
            {"meeting_id": meeting["id"], "site_id": site, "confirmed_by": "贵阳市局 王老师"}
            | {"confirmed_at": confirmed.isoformat(), "note": None},
            confirmed,
        ),
        _record(
            "meeting_incident",
            {"meeting_id": meeting["id"], "site_id": site, "kind": "mosaic"}
            | {"started_at": late.isoformat(), "duration_min": 2, "action": "重新呼叫"}
            | {"to_fault": False, "tag": None},
            late,
        ),
    ]
    pushed = live_server.client("engineer").post_json("/api/v1/sync/push", {"records": records})
    assert [r["status"] for r in pushed.json()["results"]] == ["created", "created"], pushed.body

    context = new_context(browser, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "viewer", "/meetings", "[data-testid=read-only]")
    page.wait_for_selector("#app[data-loaded]")
    page.click("#view-list")
    if not page.locator(f"#meeting-list [data-meeting='{meeting['id']}']").count():
        page.click("#prev-month")  # yesterday was last month
    page.locator(f"#meeting-list [data-meeting='{meeting['id']}']").focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#timeline-table tr[data-event=incident]")
    rows = page.locator("#timeline-table tbody tr")
    kinds = [rows.nth(i).get_attribute("data-event") for i in range(rows.count())]
    assert kinds.index("site_confirmation") < kinds.index("meeting_starts")
    assert kinds.index("meeting_ends") < kinds.index("incident")
    confirmation = page.locator("#timeline-table tr[data-event=site_confirmation] td")
    assert "确认开机" in confirmation.nth(1).inner_text()
    assert "贵阳市局 王老师" in confirmation.nth(1).inner_text()
    assert confirmation.nth(2).inner_text() == "Engineer"
    assert confirmation.nth(3).inner_text() != "—" and confirmation.nth(4).inner_text() != "—"
    flag = page.locator(
        "#timeline-table tr[data-event=incident] [data-flag=incident_outside_hours]"
    )
    assert "不在会议时段" in flag.inner_text()
    assert "T" not in flag.inner_text() and "Z" not in flag.inner_text()  # a time, not ISO
    assert "马赛克" in page.locator("#timeline-table tr[data-event=incident]").inner_text()
    href = page.locator("#timeline-register-pdf").get_attribute("href")
    assert href == f"/api/v1/meetings/{meeting['id']}/register.pdf"
    assert page.locator("#timeline-register-pdf").inner_text() == "打印使用情况登记表（PDF）"
    # The timeline's region is reachable by keyboard (a focusable scroll region).
    region = page.locator("#timeline .scroll[role=region]")
    assert region.get_attribute("tabindex") == "0" and region.get_attribute("aria-label")
    assert serious_violations(page) == []
    page.click("header #lang")
    page.wait_for_selector("h1:text('Meetings')")
    page.locator(f"#meeting-list [data-meeting='{meeting['id']}']").press("Enter")
    page.wait_for_selector("#timeline-table >> text=outside the meeting's hours")
    assert "Mosaic" in page.locator("#timeline-table tr[data-event=incident]").inner_text()
    context.close()
