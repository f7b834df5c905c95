"""Issue 15's "done when", tried as a new user would, in headless Chromium against the REAL
server (SQLite, or PostgreSQL under TEST_DATABASE_URL): a supervisor creates tomorrow's
provincial video conference with 12 sites and two engineers on the office page; both engineers'
phones show it on Today; offline, one engineer records the arrival, three site confirmations,
the host room's pre-meeting check, two speaking sites' joint tests, an in-meeting incident
turned into a fault and the usage register with a recording; back online everything reaches the
server exactly once (rows counted server-side; the whole outbox replayed stores nothing more);
the office page shows the meeting's timeline and the register is a Chinese PDF.

The meeting day comes by the clocks: the phone's (Playwright's clock) runs through the meeting
while offline, and the server is restarted with its clock moved to just after the meeting
(tests/live_runner.py, CLOCK_SHIFT_SECONDS): the register is refused before the meeting starts
and a fault may not start in the server's future."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from field_seed import new_device, quarterly_types
from helpers import jpeg_bytes
from phone import Phone
from test_meetings_page import CST, SITES, TOMORROW, engineer_ids, fill_meeting
from test_pwa_a11y import serious_violations
from test_pwa_meeting import SET_STATE

from tests.chromium import new_context, office_sign_in
from tests.live_server import serving

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Sessions must outlive the night between scheduling and the meeting (the clock jumps ahead).
ENV = {"SESSION_IDLE_MINUTES": str(4 * 24 * 60), "SESSION_LIFETIME_HOURS": str(5 * 24)}
START = datetime.combine(TOMORROW, datetime.min.time(), CST).replace(hour=9).astimezone(UTC)
END = START + timedelta(hours=2)
PHONE = {
    "locale": "zh-CN",
    "timezone_id": "Asia/Shanghai",
    "viewport": {"width": 390, "height": 844},
}
CONFIRMED = {
    "520100": "贵阳市局 王老师",
    "520200": "六盘水市局 李老师",
    "520300": "遵义市局 张老师",
}


@pytest.fixture
def live(tmp_path, live_database_template):
    url, drop = live_database_template.copy(tmp_path)
    with serving(tmp_path, url, drop, env=ENV) as server:
        yield server


def count(server, sql: str, **params) -> int:
    import sqlalchemy as sa

    engine = server.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def server_rows(server, meeting_id: int) -> dict:
    """What the meeting's records made on the server, counted in its tables."""
    m = {"m": meeting_id}
    rows = {
        kind: count(
            server,
            "select count(*) from meeting_check where meeting_id = :m and kind = :k",
            k=kind,
            **m,
        )
        for kind in ("arrival", "site_confirmation", "joint_test")
    }
    rows["visit"] = count(server, "select count(*) from visit where meeting_id = :m", **m)
    rows["incident"] = count(
        server, "select count(*) from meeting_incident where meeting_id = :m", **m
    )
    rows["fault"] = count(
        server,
        "select count(*) from fault join meeting_incident i on i.fault_id = fault.id where i.meeting_id = :m",
        **m,
    )
    rows["all_faults"] = count(server, "select count(*) from fault")
    rows["inspection"] = count(
        server,
        "select count(*) from inspection join visit v on v.id = inspection.visit_id"
        " where v.meeting_id = :m and inspection.inspection_kind = 'pre_meeting'",
        **m,
    )
    rows["register"] = count(
        server, "select count(*) from usage_register where meeting_id = :m", **m
    )
    rows["receipts"] = count(server, "select count(*) from sync_receipt")
    return rows


def create_on_the_office_page(browser, server) -> dict:
    """The supervisor's form: tomorrow 09:00–11:00, 12 listed sites (two speaking), two engineers."""
    people = engineer_ids(server.client("supervisor"))
    context = new_context(browser, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    office_sign_in(page, server.base_url, "supervisor", "/meetings", "#meeting-form")
    page.wait_for_selector("#app[data-loaded]")
    engineers = [people["Engineer"], people["Engineer2"]]
    fill_meeting(
        page, "全省医保视频会议", "provincial_video", "09:00", "11:00", engineers, SITES, SITES[:2]
    )
    page.wait_for_selector("#detail[data-meeting] #checks tbody tr")
    meeting_id = int(page.locator("#detail").get_attribute("data-meeting"))
    context.close()
    meeting = server.client("supervisor").get(f"/api/v1/meetings/{meeting_id}").json()
    assert meeting["site_count"] == 12 and len(meeting["engineers"]) == 2
    return meeting


def host_room_device(server, meeting) -> dict:
    """A unit in the host room with a pre-meeting checklist: the pre-meeting check inspects it,
    and the incident's fault is raised on it."""
    pack = server.client("admin").get("/api/v1/sync/pull").json()
    pre = {t["device_kind"] for t in pack["templates"] if t["inspection_kind"] == "pre_meeting"}
    index = next(i for i, t in enumerate(quarterly_types(pack)) if t["kind"] in pre)
    room = next(r for r in pack["rooms"] if r["id"] == meeting["host_room_id"])
    return new_device(server, room=room, type_index=index)


def at(phone_context, when: datetime) -> None:
    """The phone's clock (offline: nothing tells it otherwise) now reads `when`."""
    phone_context.clock.set_system_time(when)


def confirm(page, site_id: int, who: str) -> None:
    box = page.locator(f"[data-testid=site-check][data-kind=switch_on][data-site='{site_id}']")
    box.locator("[data-testid=open-site]").click()
    box.locator("input[name=confirmed_by]").fill(who)
    box.locator("input[name=note]").fill("电话确认已开机")
    box.locator("[data-testid=save-site]").click()
    box.locator("[data-testid=meeting-record]").wait_for()


def joint_test(page, site_id: int, pc_content: str = "pass") -> None:
    box = page.locator(f"[data-testid=site-check][data-kind=joint_test][data-site='{site_id}']")
    box.locator("[data-testid=open-site]").click()
    for part, choice in (("sound", "pass"), ("picture", "pass"), ("pc_content", pc_content)):
        box.locator(f"[data-part={part}] button.{choice}").click()
    box.locator("input[name=note]").fill("测试完成")
    box.locator("[data-testid=save-site]").click()
    box.locator("[data-testid=meeting-record]").wait_for()


def incident(page, site_id: int, tag: str) -> None:
    log = page.locator("[data-testid=incident-log]")
    log.locator("#incident-site").select_option(str(site_id))
    log.locator("button[data-kind=frozen_picture]").click()
    log.locator("#incident-duration").fill("6")
    log.locator("#incident-action").fill("重启终端后恢复")
    log.locator("[data-testid=to-fault]").check()
    log.locator("#incident-tag").fill(tag)
    log.locator("[data-testid=save-incident]").click()
    log.locator("[data-testid=meeting-record]").wait_for()


def usage_register(page) -> None:
    page.click("[data-testid=open-register]")
    form = page.locator("[data-testid=register-form]")
    form.locator("#reg-operators").fill("Engineer")
    form.locator("#reg-before").fill("设备正常")
    form.locator("#reg-after").fill("已按顺序关机")
    for step in ("audio", "displays", "matrix", "power", "windows_lights"):
        form.locator(f"input[data-step={step}]").check()
    form.locator("[data-testid=add-recording]").click()
    recording = form.locator("[data-testid=recording]")
    recording.locator("input[name=server]").fill("录播服务器一")
    recording.locator("input[name=file]").fill("全省医保视频会议-录像.mp4")
    recording.locator("input[name=duration_min]").fill("120")
    recording.locator("input[name=retention_days]").fill("180")
    form.locator("#reg-remarks").fill("会议顺利")
    form.locator("[data-testid=save-register]").click()
    page.locator("[data-testid=usage-register] [data-testid=meeting-record]").wait_for()


def record_the_meeting_offline(context, phone: Phone, meeting, tag: str) -> None:
    page = phone.page
    site = {s["code"]: s["id"] for s in meeting["sites"]}
    phone.go_offline(context)
    context.clock.install(time=START - timedelta(minutes=65))  # the meeting day, before it
    phone.open(f"/m/{meeting['id']}", "[data-testid=meeting-screen]")
    page.click("[data-testid=record-arrival]")
    page.wait_for_selector("[data-testid=arrival-done]")
    at(context, START - timedelta(minutes=40))
    for code, who in CONFIRMED.items():
        confirm(page, site[code], who)

    at(context, START - timedelta(minutes=35))  # the host room's pre-meeting check
    page.click("[data-testid=start-checklist]")
    phone.wait_path("/visit")
    assert phone.meta("active_visit")["meeting_id"] == meeting["id"]
    phone.save_check(tag, jpeg_bytes())  # the host room's unit, on its pre-meeting checklist
    phone.route("/visit/summary", "#summary")
    page.click("text=确认结束并保存")
    phone.wait_path("/")

    phone.open(f"/m/{meeting['id']}", "[data-testid=meeting-screen]")
    at(context, START - timedelta(minutes=20))
    joint_test(page, site[SITES[0]])
    joint_test(page, site[SITES[1]], pc_content="fail")

    at(context, START + timedelta(minutes=30))  # during the meeting
    incident(page, meeting["host_site_id"], tag)

    at(context, END + timedelta(minutes=10))  # after it
    usage_register(page)


def test_a_meeting_day_from_the_office_to_the_phones_and_back(browser, live):
    meeting = create_on_the_office_page(browser, live)
    device = host_room_device(live, meeting)

    # Both engineers' phones show it on Today.
    phones = {}
    for username in ("engineer", "engineer2"):
        context = new_context(browser, **PHONE)
        phone = Phone.of(context, live).sign_in(username)
        phone.open("/", f"[data-testid=meeting][data-meeting='{meeting['id']}']")
        assert "全省医保视频会议" in phone.page.locator("[data-testid=meeting]").first.inner_text()
        phones[username] = (context, phone)
    context, phone = phones["engineer"]
    phones["engineer2"][0].close()

    record_the_meeting_offline(context, phone, meeting, device["tag"])
    records = phone.outbox()
    types = sorted(r["type"] for r in records)
    assert types == sorted(
        ["meeting_arrival", "inspection", "visit", "meeting_incident", "usage_register"]
        + ["meeting_site_confirmation"] * 3
        + ["meeting_joint_test"] * 2
    ), types
    assert all(r["state"] == "waiting" for r in records)
    before = server_rows(live, meeting["id"])
    assert before["arrival"] == before["incident"] == before["register"] == 0

    # The server comes back just after the meeting; the phone's clock agrees with it.
    shift = (END + timedelta(minutes=15) - datetime.now(UTC)).total_seconds()
    live.stop()
    live.start(CLOCK_SHIFT_SECONDS=shift)
    at(context, datetime.now(UTC) + timedelta(seconds=shift))
    context.set_offline(False)
    phone.page.evaluate("dispatchEvent(new Event('online'))")
    phone.wait_outbox(["sent"] * 10)
    phone.sync_now()
    expected = {
        "arrival": 1,
        "site_confirmation": 3,
        "joint_test": 2,
        "visit": 1,
        "incident": 1,
        "fault": 1,
        "all_faults": 1,
        "register": 1,
        "inspection": 1,
        "receipts": 10,
    }
    assert server_rows(live, meeting["id"]) == expected
    uuid = next(r["uuid"] for r in records if r["type"] == "meeting_incident")
    assert count(live, "select count(*) from fault where uuid = :u", u=uuid) == 1

    # A replay of the whole outbox (the answers lost) stores nothing more.
    assert phone.page.evaluate(SET_STATE, "waiting") == 10
    phone.sync_now()
    phone.wait_outbox(["sent"] * 10)
    assert server_rows(live, meeting["id"]) == expected
    done = live.client("supervisor").get(f"/api/v1/meetings/{meeting['id']}").json()["due_checks"]
    states = {c["key"]: c["state"] for c in done}
    assert states[f"checklist:{meeting['host_room_id']}"] == "done"
    assert sum(1 for k, s in states.items() if k.startswith("switch_on:") and s == "done") == 3
    assert sum(1 for k, s in states.items() if k.startswith("joint_test:") and s == "done") == 2
    context.close()

    check_the_office_timeline(browser, live, meeting)


def check_the_office_timeline(browser, live, meeting) -> None:
    """The supervisor opens the meeting by keyboard: the timeline in time order, with both
    clocks, who confirmed, the incident's fault linked; the register prints as a Chinese PDF."""
    context = new_context(browser, locale="zh-CN", timezone_id="Asia/Shanghai")
    page = context.new_page()
    office_sign_in(page, live.base_url, "supervisor", "/meetings", "#meeting-form")
    page.wait_for_selector("#app[data-loaded]")
    page.click("#view-list")
    if not page.locator(f"#meeting-list [data-meeting='{meeting['id']}']").count():
        page.click("#next-month")  # tomorrow was next month
    button = page.locator(f"#meeting-list [data-meeting='{meeting['id']}']")
    button.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#timeline-table tbody tr")
    rows = page.locator("#timeline-table tbody tr")
    kinds = [rows.nth(i).get_attribute("data-event") for i in range(rows.count())]
    mine = [
        k
        for k in kinds
        if k
        in (
            "arrival",
            "site_confirmation",
            "pre_meeting_visit",
            "joint_test",
            "incident",
            "usage_register",
        )
    ]
    assert mine == ["arrival"] + ["site_confirmation"] * 3 + ["pre_meeting_visit"] + [
        "joint_test"
    ] * 2 + ["incident", "usage_register"], kinds
    assert kinds.index("meeting_starts") < kinds.index("incident") < kinds.index("meeting_ends")
    text = page.locator("#timeline-table").inner_text()
    for who in CONFIRMED.values():
        assert who in text
    assert "画面卡住" in text and "重启终端后恢复" in text and "电脑内容 异常" in text
    assert "检查设备 1 台" in text  # the pre-meeting visit inspected the host room's unit
    arrival = page.locator("#timeline-table tr[data-event=arrival] td")
    assert arrival.nth(2).inner_text() == "Engineer"
    assert arrival.nth(3).inner_text() != "—" and arrival.nth(4).inner_text() != "—"
    fault_id = count(
        live, "select fault_id from meeting_incident where meeting_id = :m", m=meeting["id"]
    )
    link = page.locator("#timeline-table [data-fault-link]")
    assert link.get_attribute("href") == f"/faults?fault={fault_id}"
    assert page.locator("#timeline-table [data-flag]").count() == 0  # all within the hours
    assert serious_violations(page) == []

    href = page.locator("#timeline-register-pdf").get_attribute("href")
    fetched = page.evaluate(
        "async (h) => { const r = await fetch(h); return [r.status, r.headers.get('content-type')]; }",
        href,
    )
    assert fetched == [200, "application/pdf"]
    pdf = live.client("supervisor").get(href).body
    assert pdf[:5] == b"%PDF-"
    text = pdf_text(pdf)
    assert "视频会议系统使用情况登记表" in text and "全省医保视频会议-录像.mp4" in text
    assert "重启终端后恢复" in text and f"故障 #{fault_id}" in text  # the incident and its fault
    context.close()


def pdf_text(data: bytes) -> str:
    pdfium = pytest.importorskip("pypdfium2")
    document = pdfium.PdfDocument(io.BytesIO(data))
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()
