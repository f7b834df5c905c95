"""Every screen of the phone and every office page, in Chinese mode, shows no raw enum and no
English prose: a walk in real Chromium against the live server with the demo province, a plan,
open and resolved faults, a flagged swap and a unit out for repair, failing on ASCII-only words
outside tags, codes, numbers and units (tests/pwa/chinese_text.py)."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from chinese_text import assert_chinese, english_words
from field_seed import current_quarter
from helpers import jpeg_bytes
from phone import Phone

from pwa.precache import OFFICE_PAGE_ROLES, OFFICE_PAGES
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import HttpClient, serve
from tests.server.test_faults_page import faults_and_a_flagged_swap

pytestmark = [pytest.mark.browser, pytest.mark.live]

ENGINEER = ("engineer", "gongcheng-demo-2026")
SUPERVISOR = ("supervisor", "zhuguan-demo-2026")
# Every route of pwa/static/js/main.js, walked below; a new screen fails this until it is walked.
PHONE_ROUTES = {
    "/",
    "/login",
    "/scan",
    "/d/{tag}",
    "/d/{tag}/check",
    "/d/{tag}/correct/{uuid}",
    "/d/{tag}/edit/{uuid}",
    "/d/{tag}/fault",
    "/d/{tag}/rma",
    "/f/{id}",
    "/swap",
    "/m/{id}",
    "/visit",
    "/visit/summary",
    "/visit/room/{id}",
    "/outbox",
    "/outbox/edit/{uuid}",
    "/settings",
}


def faults_swaps_and_a_repair() -> dict:
    """faults_and_a_flagged_swap, and a swap applied so a unit is out for repair (its RMA open)."""
    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Device, DeviceType, User, utcnow
    from server.services.faults import swaps

    seeded = faults_and_a_flagged_swap()
    l09 = sa.select(Device).join(DeviceType).where(DeviceType.code == "L09").order_by(Device.id)
    installed = l09.where(Device.status == "in_service", Device.room_id.is_not(None))
    faulty = db.session.scalars(installed).all()[3]  # the seed used the first three
    spare = db.session.scalars(l09.where(Device.status == "spare")).all()[1]
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    swap = swaps.record_swap(
        faulty_tag=faulty.tag, spare_tag=spare.tag, user=engineer, swapped_at=utcnow()
    )
    assert swap.state == "applied"
    return {**seeded, "repair_tag": faulty.tag, "engineer_id": engineer.id}


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """The demo province with faults, swaps, a unit out for repair and this quarter's plan;
    (server, what the seed made)."""
    with serve(
        tmp_path_factory.mktemp("instance"), demo=True, seed=faults_swaps_and_a_repair
    ) as live:
        supervisor = HttpClient(live.base_url).login(*SUPERVISOR)
        plan = supervisor.post_json(
            "/api/v1/plans",
            {"kind": "quarterly", "period": current_quarter(date.today()), "size": 30, "seed": 7},
        )
        assert plan.status == 201, plan.body
        meeting = supervisor.post_json("/api/v1/meetings", tomorrows_meeting(live.seeded))
        assert meeting.status == 201, meeting.body
        yield live, {**live.seeded, "meeting_id": meeting.json()["id"]}


def tomorrows_meeting(seeded) -> dict:
    """A provincial video conference tomorrow, three sites (two speaking), the demo engineer."""
    start = (datetime.now(UTC) + timedelta(days=1)).replace(minute=0, second=0, microsecond=0)
    codes = ["520100", "520200", "520300"]
    return {
        "title": "全省医保视频会议",
        "kind": "provincial_video",
        "host_site_code": "520000",
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=2)).isoformat(),
        "site_scope": "list",
        "site_codes": codes,
        "speaking_codes": codes[:2],
        "engineer_ids": [seeded["engineer_id"]],
    }


def test_english_words_finds_enums_and_prose_but_not_tags():
    assert english_words("状态 in_service") == ["in_service"]
    assert english_words("原因：This UUID was already stored") == [
        "This",
        "was",
        "already",
        "stored",
    ]
    assert english_words("计划 overdue") == ["overdue"]
    assert english_words("GZ3K7M2Q · L09 · 2026Q1 · 12 mm · 520102 · RMA #3 · a4-3x8 · GUIAN") == []


def test_the_walk_knows_every_phone_route():
    main = Path(__file__).resolve().parents[2] / "pwa" / "static" / "js" / "main.js"
    routes = re.findall(r"\[/\^(.*?)\$/i?, \w+Screen", main.read_text())
    assert len(routes) == len(PHONE_ROUTES), routes


def walk(phone: Phone, path: str, ready: str) -> None:
    """Route the app to `path`, wait for `ready` and for every 'loading' to be gone; check it."""
    phone.route(path, ready)
    phone.page.wait_for_function(
        "() => !document.querySelector('main').textContent.includes('加载中')"
    )
    assert_chinese(phone.page, path)


def start_visit(phone: Phone) -> None:
    """From Today: the first plan entry shown, else a visit at the first site of the list."""
    page = phone.page
    planned = page.locator("[data-testid=plan] button")
    if planned.count():
        planned.first.click()
    else:
        page.locator("main select").first.select_option(index=1)  # the site; the kind follows it
        page.get_by_role("button", name="开始巡检").click()
    phone.wait_path("/visit")


def test_every_phone_screen_is_chinese(demo, browser):
    live, seeded = demo
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(context, live).open("/login", "[data-testid=login-form]")
    assert_chinese(phone.page, "/login")
    phone.log_in(*ENGINEER)
    tag, page = seeded["breached_tag"], phone.page
    walk(phone, "/", "[data-testid=outbox-counts]")
    for path, ready in [
        ("/scan", "[data-testid=scan]"),
        ("/settings", "main section"),
        (f"/d/{tag}", "[data-testid=device] [data-testid=fault-row]"),
        (f"/d/{tag}/check", "[data-testid=checklist]"),
        (f"/d/{tag}/fault", "[data-testid=fault-form]"),
        ("/swap", "[data-testid=swap]"),
        (f"/d/{seeded['spare_tag']}", "[data-testid=device]"),
        (f"/d/{seeded['repair_tag']}/rma", "[data-testid=rma-form]"),
    ]:
        walk(phone, path, ready)
    phone.route(f"/d/{tag}", "[data-testid=fault-row] a")
    page.click("[data-testid=fault-row] a")  # /f/<the fault's id on the phone>
    page.wait_for_selector("[data-testid=fault-clocks] [data-clock]")
    assert page.evaluate("location.pathname").startswith("/f/")
    assert_chinese(page, "/f/ fault")
    page.click("[data-step=resolved]")  # the step form, with its fields
    page.wait_for_selector("[data-testid=step-form]")
    assert_chinese(page, "fault step form")

    walk_meeting(phone, seeded["meeting_id"])

    phone.open("/", "[data-testid=outbox-counts]")
    start_visit(phone)
    walk(phone, "/visit", "[data-testid=visit]")
    visit = phone.meta("active_visit")  # the site-level check of one of its rooms (not saved)
    room = next(r for r in phone.rows("rooms") if r["site_id"] == visit["site_id"])
    walk(phone, f"/visit/room/{room['id']}", "[data-testid=room-check-form]")
    phone.save_check(tag, jpeg_bytes((0, 90, 0), (64, 48)))
    walk(phone, "/visit/summary", "[data-testid=summary]")
    [inspection] = phone.wait_outbox(["sent"])
    walk(phone, f"/d/{tag}", f"[data-testid=history][data-uuid='{inspection['uuid']}']")
    walk(phone, f"/d/{tag}/correct/{inspection['uuid']}", "[data-testid=correcting]")

    # A record the server refuses (a fault with no description): its reason, translated.
    fault = page.evaluate(
        "(tag) => import('/static/js/outbox.js')"
        ".then((m) => m.addRecord('fault', {tag, description: ''})).then((r) => r.uuid)",
        tag,
    )
    # ...and an inspection sent as an older app sent an unknown tag's (no checklist).
    refused = page.evaluate(
        "(data) => import('/static/js/outbox.js').then((m) => m.addRecord('inspection', data))"
        ".then((r) => r.uuid)",
        {**inspection["data"], "template_id": None, "template_version": None},
    )
    phone.sync_now()
    phone.wait_until(
        lambda: sum(r["state"] == "failed" for r in phone.outbox()) == 2, "two refusals"
    )
    walk(phone, "/outbox", "[data-testid=record-reason]")
    page.locator("[data-testid=set-aside]").first.click()  # its form, with the reason field
    page.wait_for_selector("[data-testid=set-aside-form]")
    assert_chinese(page, "/outbox set-aside form")
    walk(phone, f"/d/{tag}/edit/{refused}", "[data-testid=editing]")
    walk(phone, f"/outbox/edit/{fault}", "[data-testid=record-edit] [data-field=description]")
    phone.open("/visit/summary", "[data-testid=summary]")
    page.locator("[data-testid=summary] button.weui-btn_primary").click()
    phone.wait_path("/")
    walk(phone, "/", "[data-testid=outbox-counts]")
    context.close()


def walk_meeting(phone: Phone, meeting_id: int) -> None:
    """Today's meeting row, the meeting screen and its forms (nothing saved: the walk's outbox
    counts stay as they are)."""
    page = phone.page
    walk(phone, "/", f"[data-testid=meeting][data-meeting='{meeting_id}']")
    walk(phone, f"/m/{meeting_id}", "[data-testid=meeting-screen] [data-testid=check]")
    page.locator("[data-kind=switch_on] [data-testid=open-site]").first.click()
    page.locator("[data-kind=joint_test] [data-testid=open-site]").first.click()
    page.locator("[data-testid=incident-log] button[data-kind=mosaic]").click()
    page.locator("[data-testid=to-fault]").check()
    page.click("[data-testid=open-register]")
    page.click("[data-testid=add-recording]")
    page.wait_for_selector("[data-testid=recording]")
    assert_chinese(page, f"/m/{meeting_id} with its forms open")


def walk_coverage(page) -> None:
    page.click("#tiles .tile")  # a bureau's panel
    page.wait_for_selector("#site-name")
    assert_chinese(page, "/coverage site panel")
    page.wait_for_selector("#plan-entries tbody tr")
    for tab in page.locator("#tabs button").all():
        tab.click()
        page.wait_for_function(
            "() => !document.querySelector('#list').textContent.includes('加载')"
        )
        page.wait_for_selector("#list table")
        assert_chinese(page, f"/coverage list {tab.get_attribute('data-list')}")
    # "Never inspected" runs to hundreds of the demo's units: the next page, in Chinese.
    page.click("#tabs button[data-list=never_inspected]")
    page.wait_for_selector("#list .pager button[data-page='2']:not([disabled])")
    assert page.locator("#list .pager").inner_text().startswith("第 1–100 条，共 ")
    page.click("#list .pager button[data-page='2']")
    page.wait_for_function(
        "() => document.querySelector('#list .pager')?.textContent.startsWith('第 101–')"
    )
    assert page.locator("#list tbody tr").count() > 0
    assert_chinese(page, "/coverage never inspected, page 2")


def walk_faults(page, seeded) -> None:
    page.fill("#custody-form input[name=tag]", seeded["spare_tag"])
    page.click("#custody-form button")
    page.wait_for_selector("#custody-result table")
    page.wait_for_selector("#swaps [data-action=apply]")
    # the stored reason codes in the shared dictionary's words (core/dict/reasons.js)
    assert "备件放入承包商库房" in page.locator("#custody-result").inner_text()
    flags = page.locator("[data-testid=swap-flags]").first.inner_text()
    assert "不是扫描时的房间" in flags


def walk_labels(page) -> None:
    page.wait_for_function("() => document.querySelectorAll('#county option').length > 80")
    page.select_option("#template", "a4-3x8")
    page.select_option("#mode", "county")
    page.select_option("#county", "520102")
    page.click("#preview")
    page.wait_for_function("() => document.querySelector('#preview-image').naturalWidth > 0")
    assert_chinese(page, "/labels preview")
    with page.expect_download():
        page.click("#print")
    page.wait_for_selector("#jobs tbody tr")


def walk_assessment(page) -> None:
    page.click('[data-line="daily_inspection"] summary')  # a line opened to its points
    page.wait_for_selector('[data-line="daily_inspection"] .point')


def walk_reports(page) -> None:
    page.click('button.pick[data-kind="meeting_register"]')  # month and meeting pickers
    page.wait_for_selector("#period-form select[name=meeting]")
    page.click('button.pick[data-kind="faults_monthly"]')
    page.wait_for_selector("#period-form input[name=period]")


def walk_handover(page) -> None:
    page.wait_for_selector("#builds")


def walk_fileimport(page) -> None:
    page.wait_for_selector("#imports")  # a file that is not a phone's: refused in words
    page.set_input_files(
        "#import-file", files=[{"name": "x.xjsync", "mimeType": "text/plain", "buffer": b"hello"}]
    )
    page.click("#import-run")
    page.wait_for_selector("#message:not([hidden])")


def walk_devices(page, seeded) -> None:
    page.fill("#find input[name=tag]", seeded["breached_tag"])  # /devices: find by tag
    page.click("#find button")
    page.wait_for_selector("#details dd[data-field=status]")
    page.wait_for_selector("#faults tbody tr td:not(.empty)")
    page.wait_for_selector("[data-testid=device-actions] a")


def walk_registry(page) -> None:
    form = page.locator("#create-site")  # a refused site: the error in words
    form.locator("input[name=code]").fill("520199")
    form.locator("input[name=name]").fill("测试县局")
    form.locator("select[name=tier]").select_option("county")
    form.locator("input[name=region_code]").fill("999999")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#message:not([hidden])")
    page.wait_for_selector("#type-list tbody tr")


def walk_people(page) -> None:
    page.fill("#own input[name=current_password]", "not-the-password-1")  # refused in words
    page.fill("#own input[name=new_password]", "绿色的河-走过三座桥")
    page.click("#own button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")


def walk_desk(page) -> None:
    page.click("#faults tr[data-fault] button")  # a fault opened to its clocks and steps
    page.wait_for_selector("#detail[data-fault] [data-clock=response]")
    page.wait_for_selector("#detail #escalate-form")
    page.click("#comment-form button")  # an empty comment: the server's refusal, in words
    page.wait_for_selector("#detail-error:not(:empty)")
    assert_chinese(page, "/desk comment refusal")


def walk_audit(page) -> None:
    page.select_option("#filters select[name=action]", "create")
    page.click("#filters button")
    page.wait_for_selector("#app[data-loaded] #rows table")


def walk_meetings(page) -> None:
    form = page.locator("#meeting-form")  # a form that ends before it starts: the refusal
    form.locator("input[name=title]").fill("全省视频会议")
    form.locator("select[name=host_site_code]").select_option("520000")
    form.locator("input[name=starts_at]").fill("2026-12-04T10:00")
    form.locator("input[name=ends_at]").fill("2026-12-04T09:00")
    form.locator("input[name=site]").first.check()
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#form-error [data-error-field=ends_at]")
    assert_chinese(page, "/meetings refusal")
    page.click("#view-list")
    page.wait_for_selector("#meetings[data-view=list]")
    if not page.locator("#meeting-list [data-meeting]").count():
        page.click("#next-month")  # tomorrow's meeting is next month's
    page.locator("#meeting-list [data-meeting]").first.click()
    page.wait_for_selector("#timeline-table tr[data-event=check_due]")  # the meeting's timeline
    assert_chinese(page, "/meetings timeline")


def walk_review(page) -> None:
    page.click("#counts button[data-queue=swaps]")  # a filter by kind: the flagged swaps only
    page.wait_for_selector("#conflicts-queue", state="hidden")
    assert "不是扫描时的房间" in page.locator("#swaps [data-testid=swap-flags]").first.inner_text()


def walk_reminders(page) -> None:
    form = page.locator("#add-channel")
    form.locator("input[name=name]").fill("值班群")
    form.locator("input[name=url]").fill("http://example.cn/hook")  # not https: refused in words
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#message:not([hidden])")
    assert "https://" in page.locator("#message").inner_text()


def walk_dashboard(page) -> None:
    page.fill("#period", "2025-13")  # not a month: refused in words
    page.click("#period-form button")
    page.wait_for_selector("#error:not(:empty)")
    assert_chinese(page, "/dashboard refusal")
    page.fill("#period", "2025")
    page.click("#period-form button")
    page.wait_for_selector("#app[data-loaded='2025'] #charts svg")


OFFICE = {
    "dashboard": ("#app[data-loaded] #charts svg", walk_dashboard),
    "coverage": (".tile", walk_coverage),
    "faults": ("#faults table", walk_faults),
    "labels": ("#county option", walk_labels),
    "assessment": ("section[data-form] .point", walk_assessment),
    "reports": (".report-list", walk_reports),
    "handover": ("#builds tbody tr", walk_handover),
    "devices": ("#find", walk_devices),
    "registry": ("#site-list tbody tr", walk_registry),
    "people": ("form#own", walk_people),
    "desk": ("#faults tr[data-fault]", walk_desk),
    "audit": ("#app[data-loaded] #rows table", walk_audit),
    "meetings": ("#meeting-form", walk_meetings),
    "review": ("#app[data-loaded] #swaps [data-swap]", walk_review),
    "reminders": ("#rules form.rule", walk_reminders),
    "fileimport": ("#imports tbody tr", walk_fileimport),
}
ADMIN = ("admin", "guanli-demo-2026", "系统管理员 (管理员)")


def test_the_walk_knows_every_office_page():
    assert set(OFFICE) == set(OFFICE_PAGES)


@pytest.mark.parametrize("name", OFFICE_PAGES)
def test_every_office_page_is_chinese(demo, browser, name):
    live, seeded = demo
    ready, more = OFFICE[name]
    context = new_context(browser, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live.base_url}/{name}")
    page.wait_for_selector("form.login")
    assert_chinese(page, f"/{name} sign-in")
    # admin-only pages are walked as the admin, every other one as the supervisor
    role, password, who = (
        ("supervisor", SUPERVISOR[1], "王主管 (主管)")
        if "supervisor" in OFFICE_PAGE_ROLES[name]
        else ADMIN
    )
    supervisor_sign_in(page, f"{live.base_url}/{name}", password, username=role)
    page.wait_for_selector(ready, state="attached")
    # the shared top bar: every page the role may open, the user, both sign-outs, the language
    mine = [p for p in OFFICE_PAGES if role in OFFICE_PAGE_ROLES[p]]
    assert page.locator(".office-nav a").count() == len(mine)
    assert page.locator("header #who").inner_text() == who
    assert page.locator("header #logout-all").is_visible()
    assert_chinese(page, f"/{name}")
    if name in ("faults", "devices"):
        more(page, seeded)
    else:
        more(page)
    assert_chinese(page, f"/{name} after its actions")
    context.close()
