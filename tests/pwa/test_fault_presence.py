"""Presence flags of faults and swaps where the office reads them, in real Chromium: a fault a
phone recorded 5 km from its site says so on the fault desk (list and detail) and on /faults,
a flagged swap whose spare tag was typed says so in the flagged swaps; nothing was refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from field_seed import execute
from swap_seed import seed_units

from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]
SITE = (26.57, 106.71)


def _record(rtype: str, data: dict, lat: float) -> dict:
    return {
        "uuid": str(uuid.uuid4()),
        "type": rtype,
        "client_time": datetime.now(UTC).isoformat(),
        "app_version": "test",
        "position": {"lat": lat, "lon": SITE[1], "accuracy": 30.0},
        "data": data,
    }


def _push_far_fault_and_typed_swap(live_server) -> dict:
    seeded = seed_units(live_server.db_url, faulty_count=2)
    execute(
        live_server,
        "UPDATE site SET lat = :lat, lon = :lon WHERE id IN (SELECT site_id FROM room "
        "WHERE id IN (:a, :b))",
        lat=SITE[0],
        lon=SITE[1],
        a=seeded["rooms"][0],
        b=seeded["rooms"][1],
    )
    now = datetime.now(UTC).isoformat()
    faulty = seeded["faulty"][0]
    fault = {"tag": faulty, "tag_source": "camera", "reported_at": now, "description": "无图像"}
    swap = {  # said to be in the other room: flagged for a supervisor
        "faulty_tag": faulty,
        "spare_tag": seeded["spare"],
        "faulty_tag_source": "camera",
        "spare_tag_source": "typed",
        "expected_room_id": seeded["rooms"][1],
        "swapped_at": now,
    }
    batch = [_record("fault", fault, SITE[0] + 0.045), _record("swap", swap, SITE[0])]
    answer = live_server.client("engineer").post_json("/api/v1/sync/push", {"records": batch})
    assert [r["status"] for r in answer.json()["results"]] == ["created", "created"], answer.body
    return {"faulty": faulty, "spare": seeded["spare"]}


def test_the_desk_and_the_faults_page_show_presence_of_faults_and_swaps(live_server, browser):
    made = _push_far_fault_and_typed_swap(live_server)
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/desk")
    row = page.locator(f"#faults tr:has-text('{made['faulty']}')")
    row.locator("[data-presence]").wait_for()
    assert row.locator("[data-presence]").inner_text() == "距站点过远 5.0 公里"
    assert page.locator("#faults th").last.inner_text() == "到场核验"
    row.locator("button").click()
    page.wait_for_selector("#detail #presence")
    assert (
        page.locator("#presence").inner_text() == "标签来源: 扫码 · 到场核验: 距站点过远 5.0 公里"
    )

    page.goto(f"{live_server.base_url}/faults")
    page.wait_for_selector("#app[data-month]:not([aria-busy]) [data-testid=swap-presence]")
    cell = page.locator(f"#faults tr:has-text('{made['faulty']}') [data-presence]")
    assert cell.inner_text() == "距站点过远 5.0 公里"
    swap = page.locator("[data-testid=swap-presence]").inner_text()
    assert swap == "标签来源: 故障设备 扫码 · 备件 手动输入 · 到场核验: 手动输入标签"
    context.close()
