"""The field app against the REAL server process (tests/live_server.py) in headless Chromium:
offline boot, a printed label read by the fake camera, an offline checklist with a photo that
arrives exactly once, the plan on the engineer's Today screen, a replaced label's warning."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
import sqlalchemy as sa
from helpers import jpeg_bytes, reload_controlled, sign_in  # noqa: E402  (tests/pwa on sys.path via conftest)
from PIL import Image
from test_pwa_a11y import serious_violations  # noqa: E402
from y4m import write_y4m  # noqa: E402

import labels
from tests.chromium import launch

pytestmark = [pytest.mark.browser, pytest.mark.live]
IDB_OUTBOX = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open('xunjian');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('outbox').objectStore('outbox').getAll();
    req.onsuccess = () => { resolve(req.result); open.result.close(); };
  };
})"""


def new_device(server) -> dict:
    """Register a video terminal in the first room of the province bureau (the seeded reference has no devices)."""
    admin = server.client("admin")
    pack = admin.get("/api/v1/sync/pull").json()
    kinds_with_template = {
        tp["device_kind"] for tp in pack["templates"] if tp["inspection_kind"] == "quarterly"
    }
    dtype = next(t for t in pack["device_types"] if t["kind"] in kinds_with_template)
    room = pack["rooms"][0]
    created = admin.post_json(
        "/api/v1/devices", {"type_code": dtype["code"], "room_id": room["id"]}
    )
    assert created.status == 201, created.body
    return {**created.json(), "type": dtype, "room": room}


def outbox(page) -> list[dict]:
    return page.evaluate(IDB_OUTBOX)


def wait_outbox(page, states: list[str], timeout_s: float = 20):
    """Poll the phone's outbox until its states are `states` (bounded)."""
    for _ in range(int(timeout_s * 5)):
        records = outbox(page)
        if [r["state"] for r in records] == states:
            return records
        page.wait_for_timeout(200)
    raise AssertionError(f"outbox stayed {[r['state'] for r in outbox(page)]}, expected {states}")


def fill_checklist(page):
    """Answer every item of the real template within range, and attach a photo to the whole check."""
    page.wait_for_selector("[data-testid=checklist]")
    items = page.locator("[data-testid=item]")
    assert items.count() > 0
    for i in range(items.count()):
        item = items.nth(i)
        if item.locator("button.pass").count():
            item.locator("button.pass").click()
        elif item.locator("input[type=number]").count():
            text = item.locator(".xj-muted").first.inner_text()
            numbers = [float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)]
            item.locator("input[type=number]").fill(
                str(sum(numbers[:2]) / 2 if len(numbers) >= 2 else 1)
            )
        elif item.locator("textarea").count():
            item.locator("textarea").fill("正常")
        if "(" in item.locator(".xj-label").inner_text():  # photo required
            item.locator("[data-testid=photo-input]").set_input_files(
                files=[
                    {
                        "name": "item.jpg",
                        "mimeType": "image/jpeg",
                        "buffer": jpeg_bytes((20, 120, 40)),
                    }
                ]
            )
    page.locator("[data-testid=photo-input]").last.set_input_files(
        files=[{"name": "rack.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=checklist] .xj-thumbs img').length > 0"
    )


def test_app_boots_offline_after_a_reload_with_the_server_gone(context, live_server):
    device = new_device(live_server)
    page = context.new_page()
    sign_in(page, live_server)
    reload_controlled(page)
    context.set_offline(True)
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
        ],
    )
    try:
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=live_server.base_url)
        page = context.new_page()
        sign_in(page, live_server)
        page.goto(live_server.base_url + "/scan")
        page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']", timeout=20000)
        assert page.url == f"{live_server.base_url}/d/{device['tag']}"
        assert page.locator("[data-testid=device-type]").inner_text() == device["type"]["name_zh"]
    finally:
        browser.close()


def count(server, sql, **params) -> int:
    engine = server.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def test_offline_checklist_with_photo_survives_reload_and_arrives_exactly_once(
    context, live_server
):
    device = new_device(live_server)
    page = context.new_page()
    sign_in(page, live_server)
    reload_controlled(page)
    context.set_offline(True)
    page.goto(live_server.base_url + f"/d/{device['tag']}/check")
    fill_checklist(page)
    page.click("[data-testid=save-check]")
    page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    page.reload()
    page.wait_for_selector("[data-testid=device]")
    [record] = outbox(page)
    assert record["state"] == "waiting" and record["photos"]
    assert count(live_server, "select count(*) from inspection") == 0

    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")  # what the phone fires when signal returns
    wait_outbox(page, ["sent"])
    page.goto(live_server.base_url + "/outbox")
    page.wait_for_selector("[data-state=sent]")
    engineer = live_server.client("engineer")
    page.wait_for_function("() => navigator.onLine")
    for sha in record["photos"]:
        for _ in range(100):  # photos follow the records in the same sync
            if engineer.request("HEAD", f"/api/v1/photos/{sha}").status == 200:
                break
            page.wait_for_timeout(100)
        assert engineer.request("HEAD", f"/api/v1/photos/{sha}").status == 200
    page.goto(live_server.base_url + "/")
    page.locator("[data-testid=outbox-counts]").wait_for()
    page.get_by_role("button", name="立即同步").click()
    page.wait_for_timeout(500)
    assert (
        count(live_server, "select count(*) from inspection where uuid = :u", u=record["uuid"]) == 1
    )
    assert count(live_server, "select count(*) from inspection") == 1
    assert [r["state"] for r in outbox(page)] == ["sent"]


def current_quarter(today: date) -> str:
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


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

    page = context.new_page()
    sign_in(page, live_server)
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
    wait_outbox(page, ["sent"])
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
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server.base_url + f"/d/{device['tag']}")
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
    page = context.new_page()
    sign_in(page, live_server)
    page.goto(live_server.base_url + f"/d/{device['tag']}/check")
    fill_checklist(page)
    page.click("[data-testid=save-check]")
    page.wait_for_selector(f"[data-testid=device][data-tag='{device['tag']}']")
    [first] = wait_outbox(page, ["sent"])

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
    records = wait_outbox(page, ["sent", "sent"])
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
