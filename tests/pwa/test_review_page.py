"""The review queue in real Chromium on the live server: two phones push one record with different
content, the supervisor sees both versions with the difference marked in words, a dismissal with
no reason is refused in Chinese, the phone's version is accepted by keyboard; the conflict closes
and the correction is stored once. A record from a phone whose clock was off shows in its queue; a
flagged swap is dismissed from the same page."""

from __future__ import annotations

import copy
from datetime import UTC, datetime, timedelta

import pytest
from chinese_text import english_words
from field_seed import count, new_device
from swap_seed import seed_units
from test_pwa_a11y import serious_violations

from tests import sync_records as rec
from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

PUSH = "/api/v1/sync/push"


def _push(client, records, **extra) -> list[dict]:
    answer = client.post_json(PUSH, {"records": records, **extra})
    assert answer.status == 200, answer.body
    return answer.json()["results"]


def _template(pack: dict, device_type: dict) -> dict:
    return next(
        t
        for t in pack["templates"]
        if t["device_kind"] == device_type["kind"] and t["inspection_kind"] == "quarterly"
    )


def test_a_supervisor_reviews_a_conflict_pushed_by_two_phones(live_server, browser):
    device = new_device(live_server)
    phone_a, phone_b = live_server.client("engineer"), live_server.client("engineer2")
    template = _template(phone_a.get("/api/v1/sync/pull").json(), device["type"])
    item = next(i for i in template["items"] if i["type"] == "pass_fail")
    record = rec.inspection(template, device["tag"])
    assert _push(phone_a, [record])[0]["status"] == "created"
    other = copy.deepcopy(record)
    next(r for r in other["data"]["results"] if r["key"] == item["key"])["value"] = "fail"
    other["data"]["notes"] = "镜头有划痕"
    assert _push(phone_b, [other])[0]["status"] == "conflict"
    late = (datetime.now(UTC) - timedelta(minutes=20)).isoformat()
    skewed = rec.inspection(template, device["tag"])
    _push(phone_a, [skewed], sent_at=late)

    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/review", ready="#app[data-loaded]")
    box = page.locator("#conflicts [data-conflict]")
    assert box.count() == 1
    assert page.locator("header .office-nav a[aria-current=page]").inner_text() == "审核队列"
    assert page.locator("[data-count=conflicts]").inner_text() == "1"
    # Both versions, the changed check named by its label with outcomes in words.
    row = box.locator(f"tr[data-row='item:{item['key']}']")
    assert row.get_attribute("data-differs") == "1"
    cells = row.locator("td")
    assert item["label_zh"] in row.inner_text()
    assert (cells.nth(0).inner_text(), cells.nth(2).inner_text()) == ("正常", "不同")
    assert cells.nth(1).inner_text() == "异常"
    differences = box.locator("[data-testid=differences]").inner_text()
    assert item["label_zh"] in differences and "备注" in differences and "镜头有划痕" in differences
    assert "Engineer2" in box.locator("[data-testid=phone-meta]").inner_text()
    assert "Engineer" in box.locator("[data-testid=server-meta]").inner_text()
    assert box.locator("tr[data-row='field:tag']").get_attribute("data-differs") is None
    assert set(english_words(box.inner_text())) <= {"Engineer"}  # the test users' names only
    # The clock queue: the late phone's record, how far off in words.
    assert "慢 20 分钟" in page.locator(f"#clock tr[data-record='{skewed['uuid']}']").inner_text()
    assert serious_violations(page) == []

    # Dismissed without a reason: refused in words, nothing closed.
    box.locator("button[data-resolution=dismissed]").click()
    page.wait_for_selector("#conflicts [data-conflict] p.error:has-text('请写明原因')")
    supervisor = live_server.client("supervisor")
    assert supervisor.get("/api/v1/sync/conflicts?state=open").json()["total"] == 1

    # Accepted by keyboard: the note field, Tab to the accept button, Enter.
    box.locator("input[name=note]").focus()
    page.keyboard.type("手机上的结果正确")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.dataset.resolution") == "accepted"
    page.keyboard.press("Enter")
    page.wait_for_selector("#conflicts [data-conflict]", state="detached")
    page.wait_for_selector("#app[data-loaded] [data-count=conflicts]:text-is('0')")
    accepted = supervisor.get("/api/v1/sync/conflicts?state=accepted").json()["items"]
    assert len(accepted) == 1 and accepted[0]["resolution_note"] == "手机上的结果正确"
    new_uuid = accepted[0]["accepted_uuid"]
    assert count(live_server, "SELECT count(*) FROM inspection WHERE uuid = :u", u=new_uuid) == 1
    original = supervisor.get(f"/api/v1/inspections/{record['uuid']}").json()
    assert original["superseded_by"] == [new_uuid]

    # Filters by kind: only the chosen queue shows.
    page.click("#counts button[data-queue=clock]")
    assert (
        page.locator("#conflicts-queue").is_hidden() and page.locator("#clock-queue").is_visible()
    )
    context.close()


def test_a_flagged_swap_is_dismissed_from_the_same_queue(live_server, browser):
    seeded = seed_units(live_server.db_url, faulty_count=2)
    spare, (first, second) = seeded["spare"], seeded["faulty"]
    phone_a, phone_b = live_server.client("engineer"), live_server.client("engineer2")
    assert (
        phone_a.post_json("/api/v1/swaps", {"faulty_tag": first, "spare_tag": spare}).status == 201
    )
    flagged = phone_b.post_json("/api/v1/swaps", {"faulty_tag": second, "spare_tag": spare})
    assert flagged.status == 202, flagged.body

    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/review", ready="#app[data-loaded]")
    box = page.locator(f"#swaps [data-swap='{flagged.json()['id']}']")
    assert page.locator("[data-count=swaps]").inner_text() == "1"
    assert set(english_words(box.inner_text())) == set()  # the flags in words
    page.click("#counts button[data-queue=swaps]")
    assert page.locator("#conflicts-queue").is_hidden()
    box.locator("input[name=note]").fill("第二部手机扫错了标签")
    box.locator("button[data-action=dismiss]").click()
    page.wait_for_selector("#app[data-loaded] [data-count=swaps]:text-is('0')")
    assert box.count() == 0
    swap = live_server.client("supervisor").get(f"/api/v1/swaps/{flagged.json()['id']}").json()
    assert swap["state"] == "dismissed"
    context.close()
