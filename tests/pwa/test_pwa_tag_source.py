"""How a tag was obtained reaches the server (real server, Chromium): a label decoded from a photo
(an in-app browser without a camera API) arrives as `camera`, a typed tag as `typed` (and the fault
reported next on that device too), a device chosen from the visit's list as `list`, a device page
opened by its link (not through the app) as unknown."""

import pytest
from conftest import new_context
from field_seed import new_device, planned_site
from helpers import jpeg_bytes
from phone import Phone

import labels

pytestmark = [pytest.mark.browser, pytest.mark.live]

NO_CAMERA = "delete MediaDevices.prototype.getUserMedia;"


def _check_from_device_page(phone: Phone, tag: str, colour) -> None:
    """On the device page of `tag`: 开始检查, fill, save; back on the device page or the visit."""
    page = phone.page
    page.wait_for_selector(f"[data-testid=device][data-tag='{tag}']")
    page.get_by_role("button", name="开始检查").click()
    phone.fill_checklist(jpeg_bytes(colour, (64, 48)))
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device], [data-testid=visit]")


def _server_sources(server, tag: str) -> list:
    items = server.client("supervisor").get(f"/api/v1/inspections?tag={tag}").json()["items"]
    return [i["tag_source"] for i in items]


def test_a_scanned_and_a_typed_tag_arrive_with_their_source(browser, live_server):
    scanned, typed = new_device(live_server)["tag"], new_device(live_server)["tag"]
    png = labels.render_png(
        labels.LabelData(tag=scanned, url=labels.qr_url(live_server.base_url, scanned)),
        "roll-40x30",
        dpi=300,
    )
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    context.add_init_script(NO_CAMERA)
    try:
        phone = Phone.of(context, live_server).sign_in()
        page = phone.open("/scan", "[data-testid=scan-photo]").page
        page.set_input_files(
            "[data-testid=scan-photo]",
            files=[{"name": "label.png", "mimeType": "image/png", "buffer": png}],
        )
        _check_from_device_page(phone, scanned, (0, 128, 0))
        phone.open("/scan", "[data-testid=scan-photo]")
        page.fill("input[aria-label='手动输入标签号']", typed.lower())  # as a person types it
        page.get_by_role("button", name="打开", exact=True).click()
        _check_from_device_page(phone, typed, (0, 0, 128))
        fault = phone.page.locator("[data-testid=report-fault]")
        fault.click()
        page.fill("#fault-description", "无画面")
        page.click("[data-testid=fault-form] button[type=submit]")
        page.wait_for_selector("[data-testid=fault]")
        phone.open(f"/d/{scanned}/check")  # opened by its address, not through the app: unknown
        phone.fill_checklist(jpeg_bytes((128, 0, 0), (64, 48)))
        page.click("[data-testid=save-check]")
        page.wait_for_selector("[data-testid=device]")
        records = phone.wait_outbox(["sent"] * 4)
        by_tag = {}
        for record in records:
            key = (record["type"], record["data"]["tag"])
            by_tag.setdefault(key, []).append(record["data"].get("tag_source"))
        assert sorted(by_tag[("inspection", scanned)], key=str) == [None, "camera"]
        assert by_tag[("inspection", typed)] == ["typed"]
        assert by_tag[("fault", typed)] == ["typed"]
    finally:
        context.close()
    assert sorted(_server_sources(live_server, scanned), key=str) == [None, "camera"]
    assert _server_sources(live_server, typed) == ["typed"]
    faults = live_server.client("supervisor").get(f"/api/v1/faults?tag={typed}").json()["items"]
    assert [f["tag_source"] for f in faults] == ["typed"]


def test_a_device_chosen_from_the_visit_list_arrives_as_list(context, live_server):
    seeded = planned_site(live_server)
    here = seeded["devices"][0]["tag"]
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    page.locator(f"[data-testid=plan][data-entry='{seeded['entry']['id']}'] button").click()
    page.click(f"[data-testid=todo][data-tag='{here}']")
    _check_from_device_page(phone, here, (0, 128, 0))
    page.wait_for_selector("[data-testid=visit] [data-testid=done]")
    phone.sync_now()
    phone.wait_until(lambda: _server_sources(live_server, here) == ["list"], "the list source")
