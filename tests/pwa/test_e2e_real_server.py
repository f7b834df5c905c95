"""The field app against the REAL server process (tests/live_server.py) in headless Chromium:
offline boot, a printed label read by the fake camera, an offline checklist with a photo that
arrives exactly once, the plan on the engineer's Today screen, a replaced label's warning."""

from __future__ import annotations

import io
from datetime import date

import pytest
from field_seed import count, current_quarter, new_device
from helpers import jpeg_bytes
from phone import Phone
from PIL import Image
from test_pwa_a11y import serious_violations
from y4m import write_y4m

import labels
from tests.chromium import launch, new_context
from tests.prod_fixtures import BOTH, chromium_args, direct_or_nginx

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(params=BOTH)
def live_server(request, tmp_path, live_database_template):
    """One server over HTTP, or HTTPS through nginx in front of two (on PostgreSQL)."""
    yield from direct_or_nginx(request, tmp_path, live_database_template)


@pytest.fixture
def context(playwright_instance, browser, live_server):
    """The phone; through nginx in a Chromium that trusts the stack's certificate."""
    args = chromium_args(live_server)
    own = launch(playwright_instance, args) if args else None
    ctx = new_context(own or browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    yield ctx
    ctx.close()
    if own:
        own.close()


def test_app_boots_offline_after_a_reload_with_the_server_gone(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    live_server.stop()  # not just offline: nothing could answer
    page.reload()
    page.wait_for_selector("[data-testid=outbox-counts]")
    assert page.locator(".xj-net").inner_text() == "离线"
    page.goto(live_server.base_url + f"/d/{device['tag']}")
    assert page.locator("[data-testid=device-type]").inner_text() == device["type"]["name_zh"]


def label_video(server, tag, path):
    """A Y4M clip of OUR printed label (labels.render_png) held in front of the camera."""
    png = labels.render_png(
        labels.LabelData(tag=tag, url=labels.qr_url(server.base_url, tag), type_name="终端"),
        "roll-50x30",
    )
    label = Image.open(io.BytesIO(png)).convert("RGB")
    scale = 600 / label.width
    label = label.resize((600, int(label.height * scale)), Image.NEAREST)
    frame = Image.new("RGB", (640, 480), (200, 200, 200))
    frame.paste(label, ((640 - label.width) // 2, (480 - label.height) // 2))
    return write_y4m(path, frame)


def test_the_camera_reads_our_printed_label_and_opens_the_device(
    playwright_instance, live_server, tmp_path
):
    device = new_device(live_server)
    video = label_video(live_server, device["tag"], tmp_path / "label.y4m")
    browser = launch(
        playwright_instance,
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
            *chromium_args(live_server),
        ],
    )
    try:
        context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=live_server.base_url)
        phone = Phone.of(context, live_server).sign_in()
        page = phone.open("/scan").page
        page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']", timeout=20000)
        assert page.url == f"{live_server.base_url}/d/{device['tag']}"
        assert page.locator("[data-testid=device-type]").inner_text() == device["type"]["name_zh"]
        context.close()
    finally:
        browser.close()


def test_offline_checklist_with_photo_survives_reload_and_arrives_exactly_once(
    context, live_server
):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    phone.save_check(device["tag"], jpeg_bytes(), item_jpeg=jpeg_bytes((20, 120, 40)))
    page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    page.reload()
    page.wait_for_selector("[data-testid=device]")
    [record] = phone.outbox()
    assert record["state"] == "waiting" and record["photos"]
    assert count(live_server, "select count(*) from inspection") == 0

    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")  # what the phone fires when signal returns
    phone.wait_outbox(["sent"])
    engineer = live_server.client("engineer")
    for sha in record["photos"]:  # photos follow the records in the same sync
        phone.wait_until(
            lambda sha=sha: engineer.request("HEAD", f"/api/v1/photos/{sha}").status == 200,
            f"photo {sha} on the server",
        )
    phone.wait_sent(1)
    # A second sync, run to its end (the phone's last_sync moves), must add nothing.
    phone.sync_now()
    assert (
        count(live_server, "select count(*) from inspection where uuid = :u", u=record["uuid"]) == 1
    )
    assert count(live_server, "select count(*) from inspection") == 1
    assert [r["state"] for r in phone.outbox()] == ["sent"]


def test_the_supervisors_plan_shows_on_the_engineers_today_screen(context, live_server):
    supervisor = live_server.client("supervisor")
    plan = supervisor.post_json(
        "/api/v1/plans",
        {"kind": "quarterly", "period": current_quarter(date.today()), "size": 30, "seed": 7},
    )
    assert plan.status == 201, plan.body
    engineer_id = live_server.client("engineer").get("/api/v1/auth/me").json()["user"]["id"]
    mine = {e["id"]: e for e in plan.json()["entries"] if e["engineer_id"] == engineer_id}
    assert mine

    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    page.wait_for_selector("[data-testid=plan]")
    shown = page.locator("[data-testid=plan]")
    assert {int(shown.nth(i).get_attribute("data-entry")) for i in range(shown.count())} == set(
        mine
    )
    assert serious_violations(page) == []

    first = shown.first
    entry_id = int(first.get_attribute("data-entry"))
    first.get_by_role("button", name="在此开始巡检").click()
    page.wait_for_function("() => location.pathname === '/visit'")
    page.goto(live_server.base_url + "/visit/summary")
    page.locator("[data-testid=summary] button.weui-btn_primary").click()
    page.wait_for_function("() => location.pathname === '/'")
    page.wait_for_selector(f"[data-testid=plan][data-entry='{entry_id}'][data-visited=true]")
    phone.wait_outbox(["sent"])
    assert (
        count(live_server, "select count(*) from visit where plan_entry_id = :e", e=entry_id) == 1
    )


def test_an_old_label_names_the_devices_new_tag(context, live_server):
    device = new_device(live_server)
    retag = live_server.client("admin").post_json(
        f"/api/v1/devices/{device['tag']}/retag", {"reason": "label lost"}
    )
    assert retag.status == 200, retag.body
    new_tag = retag.json()["current_tag"]
    page = Phone.of(context, live_server).sign_in().open(f"/d/{device['tag']}").page
    warning = page.locator("[data-testid=replaced-label]")
    assert new_tag in warning.inner_text()
    assert page.locator("[data-testid=device-type]").inner_text() == device["type"]["name_zh"]


def test_a_locked_account_is_told_to_wait_in_chinese(context, live_server):
    for n in range(5):
        answer = live_server.client().post_json(
            "/api/v1/auth/login", {"username": "engineer", "password": f"wrong-{n}"}
        )
        assert answer.status == 401
    page = context.new_page()
    page.goto(live_server.base_url + "/login")
    page.fill("#username", "engineer")
    page.fill("#password", "whatever-it-is")
    page.click("button[type=submit]")
    page.wait_for_selector("text=登录失败次数过多")
    assert page.url.endswith("/login")


def test_a_correction_supersedes_the_inspection_on_the_server(context, live_server):
    """Correct a synced checklist from the device page: a new record that supersedes it."""
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.save_check(device["tag"], jpeg_bytes())
    page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    [first] = phone.wait_outbox(["sent"])

    page.locator(
        f"[data-testid=history][data-uuid='{first['uuid']}'] [data-testid=correct]"
    ).click()
    page.wait_for_selector("[data-testid=correcting]")
    item = page.locator("[data-testid=item]").filter(has=page.locator("button.fail")).first
    assert item.locator("button.pass").get_attribute("aria-pressed") == "true"  # prefilled
    item.locator("button.fail").click()
    item.locator("input[placeholder]").first.fill("fan noisy, found on second look")
    page.click("[data-testid=save-check]")
    page.wait_for_selector(f"[data-testid=history][data-uuid='{first['uuid']}'] >> text=已更正")
    records = phone.wait_outbox(["sent", "sent"])
    correction = next(r for r in records if r["uuid"] != first["uuid"])
    assert correction["data"]["supersedes"] == first["uuid"]
    assert (
        count(
            live_server,
            "select count(*) from inspection where supersedes_uuid = :u and outcome = 'fail'",
            u=first["uuid"],
        )
        == 1
    )
    assert count(live_server, "select count(*) from inspection") == 2
