"""Quicker hands on the real server: an all-pass device in five taps from Today (the test counts
the clicks), 返回 leaves the scanner, the summary names the missing devices, the store is no visit
site, sign-out names records and photos apart, sent records under their own heading, a photo
reused as another device's evidence warned, touch targets of 44 px, the language shown."""

from __future__ import annotations

import re

import pytest
from field_seed import execute, new_device, planned_site, quarterly_types
from helpers import jpeg_bytes
from phone import Phone, photo
from test_e2e_real_server import label_video

from tests.chromium import launch, new_context

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Every trusted click (a real tap; Playwright's clicks are trusted) on the page, counted.
COUNT_TAPS = """() => { window.__taps = 0;
  document.addEventListener('click', (e) => { if (e.isTrusted) window.__taps += 1; }, true); }"""


def audio_device(server, room: dict) -> dict:
    """A device whose quarterly checklist has pass/fail items, a number and an optional note
    (no photo-required item): the all-pass case."""
    pack = server.client("admin").get("/api/v1/sync/pull").json()
    index = next(i for i, t in enumerate(quarterly_types(pack)) if t["kind"] == "audio")
    return new_device(server, room, index)


def first_check_with_errors_cleared(phone: Phone, tag: str) -> str:
    """The device's first check: save refused (red errors), 全部正常 clears the pass/fail ones at
    once, typing the number clears its own; saved. The number typed (remembered next time)."""
    page = phone.open(f"/d/{tag}/check", "[data-testid=checklist]").page
    assert page.locator("[data-testid=all-pass]").count() == 1
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=item] .xj-error")
    number_items = page.locator("[data-testid=item]:has(input[type=number])")
    assert page.locator("[data-testid=item] .xj-error").count() > number_items.count()
    page.click("[data-testid=all-pass]")
    page.wait_for_function(
        "(n) => document.querySelectorAll('[data-testid=item] .xj-error').length === n",
        arg=number_items.count(),
    )
    text = number_items.first.locator(".xj-muted").first.inner_text()
    low, high = (float(x) for x in re.findall(r"-?\d+(?:\.\d+)?", text)[:2])
    value = str((low + high) / 2)
    for i in range(number_items.count()):
        number_items.nth(i).locator("input[type=number]").fill(value)
    page.wait_for_function("() => !document.querySelector('[data-testid=item] .xj-error')")
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device]")
    return value


def test_an_all_pass_device_takes_five_taps_from_today(playwright_instance, live_server, tmp_path):
    seeded = planned_site(live_server)
    device = audio_device(live_server, seeded["devices"][0]["room"])
    tag = device["tag"]
    video = label_video(live_server, tag, tmp_path / "label.y4m")
    browser = launch(
        playwright_instance,
        [
            "--use-fake-device-for-media-stream",
            "--use-fake-ui-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    try:
        context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=live_server.base_url)
        phone = Phone.of(context, live_server).sign_in()
        page = phone.page
        remembered = first_check_with_errors_cleared(phone, tag)

        phone.open("/", f"[data-testid=plan][data-entry='{seeded['entry']['id']}'] button")
        page.evaluate(COUNT_TAPS)
        page.click(f"[data-testid=plan][data-entry='{seeded['entry']['id']}'] button")  # 1
        page.click("[data-testid=visit-scan]")  # 2: the camera reads the label
        page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']", timeout=20000)
        page.get_by_role("button", name="开始检查").click()  # 3
        page.wait_for_selector("[data-testid=remembered]")
        page.click("[data-testid=all-pass]")  # 4
        page.click("[data-testid=save-check]")  # 5
        page.wait_for_selector("[data-testid=visit] [data-testid=next-device]")
        taps = page.evaluate("window.__taps")
        assert taps <= 5, f"{taps} taps from Today to a saved all-pass inspection"
        print(f"taps from Today to a saved all-pass inspection: {taps}")

        # the next unscanned device of the visit is offered
        others = {d["tag"] for d in seeded["devices"]}
        assert page.get_attribute("[data-testid=next-device]", "data-tag") in others
        record = phone.wait_until(
            lambda: [
                r
                for r in phone.outbox()
                if r["type"] == "inspection"
                and r["data"].get("visit_uuid")
                and r["data"]["tag"] == tag
            ],
            "the visit's inspection",
        )[0]
        values = {r["key"]: r["value"] for r in record["data"]["results"]}
        assert {v for v in values.values() if isinstance(v, str)} == {"pass"}
        numbers = [v for v in values.values() if isinstance(v, (int, float))]
        assert numbers and all(n == float(remembered) for n in numbers)

        # 返回 from a scanned device leaves the scanner (whose camera would read the label again)
        page.click("[data-testid=visit-scan]")
        page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']", timeout=20000)
        page.get_by_role("button", name="返回").click()
        phone.wait_path("/visit")
        page.wait_for_selector("[data-testid=visit]")
        assert page.locator("[data-testid=scan]").count() == 0
        context.close()
    finally:
        browser.close()


def test_the_summary_lists_the_missing_devices_with_a_tap_to_each(context, live_server):
    seeded = planned_site(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    page.click(f"[data-testid=plan][data-entry='{seeded['entry']['id']}'] button")
    page.wait_for_selector("[data-testid=visit] [data-testid=todo]")
    phone.route("/visit/summary", "[data-testid=missing-list]")
    tags = [page.get_attribute(f"[data-testid=missing] >> nth={i}", "data-tag") for i in range(2)]
    assert set(tags) == {d["tag"] for d in seeded["devices"]}
    page.click(f"[data-testid=missing][data-tag='{tags[1]}']")
    page.wait_for_selector(f"[data-testid=device][data-tag='{tags[1]}']")


def test_the_contractors_store_is_not_offered_as_a_visit_site(context, live_server):
    execute(
        live_server,
        "insert into site (code, name, tier, region_code, created_at, updated_at) "
        "select 'STORE-GZ', '承包方备件库', 'store', region_code, created_at, updated_at "
        "from site order by id limit 1",
    )
    phone = Phone.of(context, live_server).sign_in()
    assert any(s["tier"] == "store" for s in phone.rows("sites"))
    options = phone.open("/", "[data-testid=start-other] select").page.locator(
        "[data-testid=start-other] select >> nth=0"
    )
    texts = options.locator("option").all_inner_texts()
    assert len(texts) > 2
    assert not [t for t in texts if "STORE-GZ" in t or "承包方备件库" in t]


def test_sign_out_names_records_and_photos_apart_and_sent_ones_have_a_heading(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    phone.save_check(device["tag"], jpeg_bytes((10, 90, 200)), jpeg_bytes((90, 10, 200)))
    photos = len(phone.outbox()[0]["photos"])
    assert photos >= 1
    phone.open("/settings", "main section")
    page.get_by_role("button", name="退出登录").click()
    refused = page.locator("[data-testid=logout-refused]").inner_text()
    assert f"1 条记录、{photos} 张照片" in refused, refused
    phone.open("/outbox", "[data-testid=outbox-unsent] [data-testid=outbox-record]")
    assert page.locator("[data-testid=outbox-sent]").count() == 0
    context.set_offline(False)
    phone.sync_now()
    phone.wait_outbox(["sent"])
    phone.open("/outbox", "[data-testid=outbox-sent] [data-testid=outbox-record][data-state=sent]")
    assert page.locator("[data-testid=outbox-unsent]").count() == 0
    assert "已发送" in page.locator("main").inner_text()


def test_a_photo_already_evidence_for_another_device_is_warned(context, live_server):
    first, second = new_device(live_server), new_device(live_server)
    same = jpeg_bytes((5, 150, 60), (64, 48))
    phone = Phone.of(context, live_server).sign_in()
    phone.save_check(first["tag"], same)
    page = phone.open(f"/d/{second['tag']}/check", "[data-testid=checklist]").page
    page.locator("[data-testid=photo-input]").last.set_input_files(files=[photo("a.jpg", same)])
    warning = page.locator("[data-testid=photo-reused]")
    warning.wait_for()
    assert first["tag"] in warning.inner_text()


def test_touch_targets_are_44_px_and_the_language_shows_which_is_on(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.open(f"/d/{device['tag']}/fault", "[data-testid=fault-form]").page
    boxes = page.evaluate(
        """() => [...document.querySelectorAll('input[type=radio], input[type=checkbox]')].map(
          (i) => [i.getBoundingClientRect().height, i.closest('label').getBoundingClientRect().height])"""
    )
    assert boxes and all(dot >= 24 and row >= 44 for dot, row in boxes), boxes
    phone.open("/", "[data-testid=outbox-counts]")
    heights = page.evaluate(
        """() => [...document.querySelectorAll('main button')].filter((b) => b.offsetParent)
          .map((b) => [b.textContent.trim(), b.getBoundingClientRect().height])"""
    )
    assert heights and all(h >= 44 for _, h in heights), heights
    phone.open("/settings", "main section")
    on = page.locator(".xj-choice button[aria-pressed=true]")
    assert on.inner_text().startswith("✓") and "简体中文" in on.inner_text()
    off = page.locator(".xj-choice button[aria-pressed=false]")
    colours = [x.evaluate("(b) => getComputedStyle(b).backgroundColor") for x in (on, off)]
    assert colours[0] != colours[1]
