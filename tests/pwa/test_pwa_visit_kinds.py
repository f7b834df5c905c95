"""Visits of every kind from the phone against the REAL server (tests/live_server.py): the kind
selector offers only the kinds a site can have, a daily visit's site-level check of a room is
made offline and reaches the server exactly once, and a refused check (a closed room) is shown
in Chinese and stays on the phone until it can be sent."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from chinese_text import assert_chinese
from field_seed import count, execute
from phone import Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]

PROVINCE, COUNTY = "520000", "520102"


def _site(phone, code) -> dict:
    return next(s for s in phone.rows("sites") if str(s["code"]) == code)


def _choose(phone, code) -> list[str]:
    """Pick the site in Today's start row; the kinds offered, in words."""
    page = phone.page
    page.locator("[data-testid=start-other] select").first.select_option(
        str(_site(phone, code)["id"])
    )
    kinds = page.locator("[data-testid=visit-kind] option")
    return [kinds.nth(i).inner_text() for i in range(kinds.count())]


def _fill_room_check(page) -> None:
    page.wait_for_selector("[data-testid=room-check-form]")
    items = page.locator("[data-testid=room-check-form] [data-testid=item]")
    assert items.count() >= 9  # display, camera, audio, network, conference and a note
    for i in range(items.count()):
        item = items.nth(i)
        if item.locator("button.pass").count():
            item.locator("button.pass").click()
        elif item.locator("input[type=number]").count():
            numbers = re.findall(r"\d+(?:\.\d+)?", item.locator(".xj-muted").first.inner_text())
            item.locator("input[type=number]").fill(
                str((float(numbers[0]) + float(numbers[1])) / 2)
            )
        elif item.locator("textarea").count():
            item.locator("textarea").fill("正常")


def _daily_visit_with_room_check(phone) -> int:
    """Start a daily visit at the province bureau, check its first room; the room's id."""
    page = phone.page
    phone.open("/", "[data-testid=start-other]")
    _choose(phone, PROVINCE)
    page.locator("[data-testid=visit-kind]").select_option("daily")
    page.locator("[data-testid=start-other] button").click()
    page.wait_for_selector("[data-testid=visit] [data-testid=room-check]")
    assert_chinese(page, "daily visit")
    row = page.locator("[data-testid=room-check]").first
    room_id = int(row.get_attribute("data-room"))
    row.locator("button").click()
    _fill_room_check(page)
    assert_chinese(page, "room check")
    page.click("[data-testid=save-room-check]")
    page.wait_for_selector(f"[data-testid=room-check][data-room='{room_id}'][data-done=true]")
    return room_id


def _finish(page) -> None:
    page.get_by_role("button", name="结束巡检").click()
    page.wait_for_selector("[data-testid=summary-room-checks]")
    page.get_by_role("button", name="确认结束并保存").click()
    page.wait_for_selector("[data-testid=outbox-counts]")


def test_a_daily_room_check_made_offline_reaches_the_server_once(context, live_server):
    phone = Phone.of(context, live_server).sign_in(controlled=True)
    page = phone.page
    assert _choose(phone, COUNTY) == ["季度巡检", "会前检查"]  # daily and monthly: the province's
    assert _choose(phone, PROVINCE) == ["季度巡检", "每日检查", "月度巡检", "会前检查"]
    weekday = page.evaluate("(() => { const d = new Date().getDay(); return d >= 1 && d <= 5; })()")
    chosen = page.locator("[data-testid=visit-kind]").input_value()
    assert chosen == ("daily" if weekday else "quarterly")  # what is due today

    context.set_offline(True)
    _daily_visit_with_room_check(phone)
    _finish(page)
    records = phone.outbox()
    assert [(r["type"], r["state"]) for r in records] == [
        ("site_check", "waiting"),
        ("visit", "waiting"),
    ]
    assert records[1]["data"]["inspection_kind"] == "daily"
    assert records[0]["data"]["visit_uuid"] == records[1]["uuid"]
    assert count(live_server, "select count(*) from site_check") == 0

    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    phone.wait_outbox(["sent", "sent"])
    phone.sync_now()  # a second sync adds nothing
    assert count(live_server, "select count(*) from site_check") == 1
    assert (
        count(live_server, "select count(*) from site_check where uuid = :u", u=records[0]["uuid"])
        == 1
    )
    assert count(live_server, "select count(*) from visit where inspection_kind = 'daily'") == 1
    assert count(live_server, "select count(*) from inspection") == 0  # no unit scanned
    phone.open("/outbox", "[data-testid=outbox-record]")
    listed = page.locator("[data-testid=outbox-record]").all_inner_texts()
    assert [text.split()[0] for text in listed] == ["巡检", "场所检查"]  # newest first
    assert_chinese(page, "outbox")


def test_a_check_of_a_closed_room_is_refused_in_chinese_and_kept(context, live_server):
    phone = Phone.of(context, live_server).sign_in(controlled=True)
    page = phone.page
    context.set_offline(True)
    room_id = _daily_visit_with_room_check(phone)
    closed = datetime.now(UTC).replace(tzinfo=None)
    execute(live_server, "update room set closed_at = :at where id = :id", at=closed, id=room_id)

    context.set_offline(False)
    page.evaluate("dispatchEvent(new Event('online'))")
    [record] = phone.wait_outbox(["failed"])
    assert record["code"] == "room_closed"
    phone.open("/outbox", "[data-testid=record-reason]")
    reason = page.locator("[data-testid=record-reason]").inner_text()
    assert "这个房间已停用" in reason
    assert_chinese(page, "refused site check")
    assert count(live_server, "select count(*) from site_check") == 0

    # Nothing is lost: once the room is open again, the same record is resent and stored once.
    execute(live_server, "update room set closed_at = null where id = :id", id=room_id)
    page.get_by_role("button", name="重新发送").click()
    phone.wait_outbox(["sent"])
    assert (
        count(live_server, "select count(*) from site_check where uuid = :u", u=record["uuid"]) == 1
    )
