"""Issue 17 on the REAL server in headless Chromium: a tag the phone's pack does not know is
inspected offline with the generic checklist, reaches the server and is linked once the office
registers the device; a record the server refuses is set aside with a reason (not without one),
leaves the unsent records, and the supervisor sees it in the review queue."""

from __future__ import annotations

import pytest
from chinese_text import english_words
from field_seed import count
from helpers import jpeg_bytes
from phone import OPEN_EXISTING, Phone

from server import tags
from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

# Break the waiting record as an older app sent an unknown tag's check: no checklist.
UNPIN = (
    """async (uuid) => {
  const db = await """
    + OPEN_EXISTING
    + """;
  const tx = db.transaction('outbox', 'readwrite');
  const store = tx.objectStore('outbox');
  const record = await new Promise((ok) => { const r = store.get(uuid); r.onsuccess = () => ok(r.result); });
  record.data.template_id = null; record.data.template_version = null;
  store.put(record);
  await new Promise((ok) => { tx.oncomplete = ok; });
  db.close();
  return true;
}"""
)


def _unknown_tag(n: int) -> str:
    return tags.make_tag(880000 + n)


def _back_online(phone: Phone, context) -> None:
    context.set_offline(False)
    phone.page.evaluate("dispatchEvent(new Event('online'))")


def test_an_unknown_tag_is_inspected_offline_and_linked_when_registered(context, live_server):
    tag = _unknown_tag(1)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    phone.open(f"/d/{tag}", "[data-testid=device]")
    assert "通用检查单" in page.locator(".xj-warn[role=alert]").inner_text()
    phone.save_check(tag, jpeg_bytes())
    [record] = phone.outbox()
    assert record["data"]["template_id"] is not None and record["state"] == "waiting"

    _back_online(phone, context)
    phone.wait_outbox(["sent"])
    assert count(live_server, "select count(*) from inspection where tag = :t", t=tag) == 1
    linked = "select count(*) from inspection where tag = :t and device_id is not null"
    assert count(live_server, linked, t=tag) == 0

    admin = live_server.client("admin")
    room = admin.get("/api/v1/sync/pull").json()["rooms"][0]
    created = admin.post_json(
        "/api/v1/devices", {"tag": tag, "type_code": "L09", "room_id": room["id"]}
    )
    assert created.status == 201, created.body
    assert count(live_server, linked, t=tag) == 1


def test_a_refused_record_is_set_aside_and_the_supervisor_sees_why(context, live_server, browser):
    tag = _unknown_tag(2)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    phone.save_check(tag, jpeg_bytes())
    [record] = phone.outbox()
    page.evaluate(UNPIN, record["uuid"])
    _back_online(phone, context)
    phone.wait_outbox(["failed"])

    phone.open("/outbox", f"[data-testid=outbox-record][data-uuid='{record['uuid']}']")
    page.click("[data-testid=set-aside]")
    page.click("[data-testid=set-aside-confirm]")
    assert page.locator("[data-testid=set-aside-error]").inner_text() == "请写明搁置原因"
    assert [r["state"] for r in phone.outbox()] == ["failed"]
    page.fill("[data-testid=set-aside-reason]", "旧版应用漏填检查单，已在纸质记录补登")
    page.click("[data-testid=set-aside-confirm]")
    page.wait_for_selector("[data-testid=set-aside-why]")
    assert [r["state"] for r in phone.outbox()] == ["set_aside"]
    assert count(live_server, "select count(*) from inspection where tag = :t", t=tag) == 0
    held = "select count(*) from set_aside where record_uuid = :u and code = 'invalid'"
    assert count(live_server, held, u=record["uuid"]) == 1
    phone.open("/", "[data-testid=outbox-counts]")
    phone.wait_until(
        "import('/static/js/outbox.js').then((m) => m.summary()).then((s) => s.unsent === 0)",
        "nothing left unsent (sign-out allowed)",
    )

    office = new_context(browser, locale="zh-CN")
    try:
        review = office.new_page()
        office_sign_in(
            review, live_server.base_url, "supervisor", "/review", ready="#app[data-loaded]"
        )
        row = review.locator(f"#set_aside [data-set-aside='{record['uuid']}']")
        assert row.locator("[data-testid=set-aside-reason]").inner_text() == (
            "旧版应用漏填检查单，已在纸质记录补登"
        )
        assert tag in row.inner_text()
        assert review.locator("[data-count=set_aside]").inner_text() == "1"
        name = live_server.client("engineer").get("/api/v1/auth/me").json()["user"]["display_name"]
        shown = review.locator("#set_aside-queue").inner_text().replace(name, "")  # a name is data
        assert set(english_words(shown)) == set()
    finally:
        office.close()


def test_a_refused_inspection_is_edited_and_resent_under_its_uuid(context, live_server):
    tag = _unknown_tag(3)
    phone = Phone.of(context, live_server).sign_in()
    page = phone.page
    phone.go_offline(context)
    phone.save_check(tag, jpeg_bytes())
    [record] = phone.outbox()
    page.evaluate(UNPIN, record["uuid"])
    _back_online(phone, context)
    phone.wait_outbox(["failed"])

    phone.open("/outbox", f"[data-testid=outbox-record][data-uuid='{record['uuid']}']")
    page.click("[data-testid=edit-record]")
    page.wait_for_selector("[data-testid=editing]")
    item = page.locator("[data-testid=item]").filter(has=page.locator("button.pass")).first
    assert item.locator("button.pass").get_attribute("aria-pressed") == "true"  # prefilled
    page.click("[data-testid=save-check]")
    [resent] = phone.wait_outbox(["sent"])
    assert resent["uuid"] == record["uuid"] and resent["data"]["template_id"] is not None
    assert (
        count(live_server, "select count(*) from inspection where uuid = :u", u=record["uuid"]) == 1
    )
