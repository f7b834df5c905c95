"""Presence flags on the office pages (real server, Chromium): a visit recorded 5 km from its site
flags its inspection on the device page (距站点过远 5.0 公里, the tag source in words) and in the
review queue's 到场核验提示 with a typed tag; a clean inspection is in neither; nothing refused.
The quarterly report's side of the same visit: tests/server/services/presence/test_flags.py."""

from __future__ import annotations

import json

import pytest
from chinese_text import english_words

from tests import sync_records as rec
from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

SITE_CODE = "520000"
SITE = (26.5783, 106.7135)
FAR = {"lat": SITE[0] + 0.045, "lon": SITE[1], "accuracy": 30.0}  # about 5 km north
NEAR = {"lat": SITE[0] + 0.0005, "lon": SITE[1], "accuracy": 30.0}


def _seed(server) -> dict:
    """The site's point, a device there, and three inspections of it pushed by the engineer."""
    admin, engineer = server.client("admin"), server.client("engineer")
    point = admin.request(
        "PATCH",
        f"/api/v1/sites/{SITE_CODE}",
        json.dumps({"lat": SITE[0], "lon": SITE[1]}).encode(),
        {"Content-Type": "application/json"},
    )
    assert point.status == 200, point.body
    room = admin.get(f"/api/v1/sites/{SITE_CODE}").json()["rooms"][0]
    device = admin.post_json("/api/v1/devices", {"type_code": "L09", "room_id": room["id"]})
    assert device.status == 201, device.body
    tag = device.json()["tag"]
    pack = engineer.get("/api/v1/sync/pull").json()
    template = next(
        t
        for t in pack["templates"]
        if t["inspection_kind"] == "quarterly" and t["device_kind"] == "display"
    )
    far_visit, near_visit = rec.visit(SITE_CODE), rec.visit(SITE_CODE)
    far_visit["position"], near_visit["position"] = FAR, NEAR
    far = rec.inspection(template, tag, far_visit["uuid"], tag_source="camera")
    far["position"] = None  # the inspection's own fix missing: its visit's is compared
    typed = rec.inspection(template, tag, near_visit["uuid"], tag_source="typed")
    clean = rec.inspection(template, tag, near_visit["uuid"], tag_source="list")
    typed["position"] = clean["position"] = NEAR
    answer = engineer.post_json(
        "/api/v1/sync/push", {"records": [far_visit, near_visit, far, typed, clean]}
    )
    assert [r["status"] for r in answer.json()["results"]] == ["created"] * 5  # never refused
    return {"tag": tag, "far": far["uuid"], "typed": typed["uuid"], "clean": clean["uuid"]}


def test_a_visit_5_km_away_is_flagged_on_the_device_page_and_in_review(live_server, browser):
    seeded = _seed(live_server)
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(
        page, live_server.base_url, "supervisor", f"/devices/{seeded['tag']}", "#inspections td"
    )
    page.wait_for_selector(f"#inspections tr[data-uuid='{seeded['far']}']")
    headers = page.locator("#inspections thead th").all_inner_texts()
    assert headers[3:5] == ["标签来源", "到场核验"]

    def cells(uuid: str) -> list[str]:
        return page.locator(f"#inspections tr[data-uuid='{uuid}'] td").all_inner_texts()

    assert cells(seeded["far"])[3:5] == ["扫码", "距站点过远 5.0 公里"]
    assert cells(seeded["typed"])[3:5] == ["手动输入", "手动输入标签"]
    assert cells(seeded["clean"])[3:5] == ["从列表选择", "—"]
    assert english_words(page.locator("#inspections").inner_text()) == []

    page.goto(live_server.base_url + "/review")  # signed in already
    page.wait_for_selector("#app[data-loaded]")
    queue = page.locator("#presence")
    assert page.locator("[data-count=presence]").inner_text() == "2"
    far_row = queue.locator(f"tr[data-record='{seeded['far']}']").inner_text()
    assert "距站点过远 5.0 公里" in far_row and "标签来源：扫码" in far_row
    typed_row = queue.locator(f"tr[data-record='{seeded['typed']}']").inner_text()
    assert "手动输入标签" in typed_row and "标签来源：手动输入" in typed_row
    assert queue.locator(f"tr[data-record='{seeded['clean']}']").count() == 0
    assert set(english_words(queue.inner_text())) <= {"Engineer"}  # the test user's name
    page.click("#counts button[data-queue=presence]")
    assert page.locator("#presence-queue").is_visible()
    assert page.locator("#clock-queue").is_hidden()
    context.close()
