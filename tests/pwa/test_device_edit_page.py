"""The office device page's writes in real Chromium on the live server: a supervisor finds a
device by its tag, moves it to another room with a reason (the custody timeline shows it), is
refused in Chinese (the field named, the reason explained, nothing written) when retiring a
device with an open fault, retires another (its move and retire forms go); registers a new
device with an issued tag; prints a device's label (a PDF, a job in the register); the viewer
sees the timeline and no write forms."""

from __future__ import annotations

import pytest

from tests.chromium import new_context, office_sign_in
from tests.live_server import serve

pytestmark = [pytest.mark.browser, pytest.mark.live]

HOME, OTHER = "520102", "520103"


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    """A live server and three devices in a room of HOME: to move, with an open fault, to retire."""
    with serve(tmp_path_factory.mktemp("instance")) as server:
        admin = server.client("admin")
        room = admin.get(f"/api/v1/sites/{HOME}").json()["rooms"][0]
        devices = {}
        for name in ("move", "fault", "retire"):
            created = admin.post_json(
                "/api/v1/devices",
                {"type_code": "L09", "room_id": room["id"], "serial": f"SN-{name}"},
            )
            assert created.status == 201, created.body
            devices[name] = created.json()
        fault = server.client("engineer").post_json(
            "/api/v1/faults", {"tag": devices["fault"]["tag"], "description": "投影仪不亮"}
        )
        assert fault.status == 201, fault.body
        yield server, devices


def _open(page, tag: str) -> None:
    page.fill("#find input[name=tag]", tag.lower())  # typed as a person would
    page.click("#find button[type=submit]")
    page.wait_for_selector("#writes [data-testid=device-writes]")


def test_supervisor_moves_is_refused_and_retires(live, browser):
    server, devices = live
    http = server.client("supervisor")
    target = http.get(f"/api/v1/sites/{OTHER}").json()["rooms"][0]
    context = new_context(browser, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    office_sign_in(page, server.base_url, "supervisor", "/devices", "#find")

    _open(page, devices["move"]["tag"])
    move = page.locator("#move")
    move.locator("select[name=site]").select_option(OTHER)
    page.wait_for_selector(
        f"#move select[name=room_id] option[value='{target['id']}']", state="attached"
    )
    move.locator("select[name=room_id]").select_option(str(target["id"]))
    move.locator("input[name=reason]").fill("会议室改造，临时移走")
    move.locator("button[type=submit]").click()
    page.wait_for_selector("#message.ok")
    page.wait_for_selector("#timeline li:first-child:has-text('会议室改造，临时移走')")
    assert target["name"] in page.locator("#timeline li").first.inner_text()
    assert page.locator("#details dd[data-field=room]").inner_text() == target["name"]
    custody = http.get(f"/api/v1/devices/{devices['move']['tag']}/custody").json()["events"]
    assert (custody[-1]["to_room"]["id"], custody[-1]["reason"]) == (
        target["id"],
        "会议室改造，临时移走",
    )
    page.wait_for_selector("#writes [data-testid=device-writes]")
    with page.expect_download() as download:
        page.click("#print-label button[type=submit]")
    assert download.value.suggested_filename == f"label-{devices['move']['tag']}.pdf"
    jobs = http.get("/api/v1/labels/jobs").json()["items"]
    assert jobs[0]["count"] == 1

    page.goto(f"{server.base_url}/devices")
    page.wait_for_selector("#find")
    _open(page, devices["fault"]["tag"])
    retire = page.locator("#retire")
    retire.locator("input[name=reason]").fill("老化报废")
    retire.locator("button[type=submit]").click()
    error = retire.locator("[data-error]")
    error.wait_for()
    text = error.inner_text()
    assert "状态：" in text and "未关闭的故障" in text, text
    assert http.get(f"/api/v1/devices/{devices['fault']['tag']}").json()["status"] == "in_service"
    assert page.locator("#details dd[data-field=status]").inner_text() == "在用"

    page.goto(f"{server.base_url}/devices/{devices['retire']['tag']}")
    page.wait_for_selector("#retire")
    page.fill("#retire input[name=reason]", "老化报废")
    page.click("#retire button[type=submit]")
    page.wait_for_selector("[data-testid=retired-note]")
    assert page.locator("#details dd[data-field=status]").inner_text() == "已报废"
    assert page.locator("#move, #retire").count() == 0
    assert "老化报废" in page.locator("#timeline li").first.inner_text()
    assert http.get(f"/api/v1/devices/{devices['retire']['tag']}").json()["status"] == "retired"
    context.close()


def test_supervisor_registers_a_device_and_a_duplicate_serial_is_named(live, browser):
    server, devices = live
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, server.base_url, "supervisor", "/devices", "#create select[name=site]")
    form = page.locator("#create")
    form.locator("input[name=serial]").fill("SN-move")  # taken by the first device
    form.locator("select[name=site]").select_option(HOME)
    page.wait_for_selector("#create select[name=room_id] option:nth-child(2)", state="attached")
    form.locator("select[name=room_id]").select_option(index=1)
    form.locator("button[type=submit]").click()
    error = form.locator("[data-error]")
    error.wait_for()
    assert "序列号：" in error.inner_text() and "已被另一台设备使用" in error.inner_text()
    assert form.locator("input[name=serial]").get_attribute("aria-invalid") == "true"
    form.locator("input[name=serial]").fill("SN-new")
    form.locator("button[type=submit]").click()
    page.wait_for_url("**/devices/*")
    page.wait_for_selector("#timeline li:has-text('登记')")
    tag = page.evaluate("decodeURIComponent(location.pathname.split('/')[2])")
    device = server.client("supervisor").get(f"/api/v1/devices/{tag}").json()
    assert device["serial"] == "SN-new" and device["site"]["code"] == HOME
    context.close()


def test_viewer_sees_the_timeline_and_no_write_forms(live, browser):
    server, devices = live
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, server.base_url, "viewer", "/devices", "#find")
    assert page.locator("#create").count() == 0
    page.goto(f"{server.base_url}/devices/{devices['fault']['tag']}")
    page.wait_for_selector("#timeline li")
    page.wait_for_selector("#faults tbody td:has-text('投影仪不亮')")
    assert page.locator("[data-testid=read-only]").is_visible()
    assert page.locator("main form, main button, [data-testid=device-writes]").count() == 0
    context.close()


def test_the_write_forms_have_no_serious_accessibility_violations(live, browser):
    from test_pwa_a11y import serious_violations

    server, devices = live
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, server.base_url, "supervisor", "/devices", "#create select[name=site]")
    assert serious_violations(page) == []
    page.goto(f"{server.base_url}/devices/{devices['fault']['tag']}")
    page.wait_for_selector("#retire")
    page.fill("#retire input[name=reason]", "老化报废")
    page.click("#retire button[type=submit]")
    page.locator("#retire [data-error]").wait_for()
    assert serious_violations(page) == []
    context.close()


def test_a_refusal_in_english_names_the_field(live, browser):
    server, devices = live
    context = new_context(browser, locale="en-GB")
    page = context.new_page()
    office_sign_in(
        page, server.base_url, "supervisor", f"/devices/{devices['fault']['tag']}", "#retire"
    )
    if page.evaluate("document.documentElement.lang") != "en":
        page.click("#lang")
        page.wait_for_selector("#retire button:has-text('Retire this device')")
    page.fill("#retire input[name=reason]", "worn out")
    page.click("#retire button[type=submit]")
    error = page.locator("#retire [data-error]")
    error.wait_for()
    assert error.inner_text().startswith("Status: The device has an open fault"), error.inner_text()
    context.close()
