"""The phone's evidence chain against the real server in headless Chromium: each record the
phone makes names the content hash the server computes for the one before (docs/evidence.md)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from field_seed import new_device
from phone import Phone

from tests import sync_records as rec
from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]

ADD = (
    "([tag, text, position]) => import('/static/js/outbox.js').then((m) => m.addRecord('fault', "
    "{tag, description: text, reported_at: m.localIso()}, {position})).then((r) => r.uuid)"
)


def test_the_phone_links_each_record_to_its_previous_one(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    texts = [
        ("显示屏黑屏", {"lat": 26, "lon": 106.5, "accuracy": 1e-7}),  # whole and tiny numbers
        ('画面 "闪烁"\n\t第二行 é', None),  # escapes, non-ASCII, no position
        ("无声音 ok", {"lat": 26.123456789, "lon": 106.7, "accuracy": 12.5}),
    ]
    uuids = [phone.page.evaluate(ADD, [device["tag"], text, pos]) for text, pos in texts]
    phone.sync_now()
    phone.wait_until(
        lambda: all(r["state"] == "sent" for r in phone.outbox() if r["uuid"] in uuids),
        "the three faults sent",
    )
    engine = live_server.engine()
    try:
        with engine.connect() as conn:
            rows = conn.execute(
                sa.text(
                    "SELECT record_uuid, content_hash, phone_id, prev_hash FROM evidence_link "
                    "WHERE record_uuid IN :uuids"
                ).bindparams(sa.bindparam("uuids", expanding=True)),
                {"uuids": uuids},
            ).all()
    finally:
        engine.dispose()
    links = {row.record_uuid: row for row in rows}
    chain = [links[u] for u in uuids]
    phone_id = phone.meta("phone_id")
    assert {link.phone_id for link in chain} == {phone_id}
    assert chain[0].prev_hash is None  # the first record this phone made for this user
    assert [link.prev_hash for link in chain[1:]] == [link.content_hash for link in chain[:-1]]
    head = phone.meta(f"chain_head:{phone_id}:engineer")
    assert head == chain[-1].content_hash  # the phone's head is the server's hash of its last


def test_a_gap_in_a_phone_chain_shows_in_the_review_queue(live_server, browser):
    device = new_device(live_server)
    engineer = live_server.client("engineer")
    pack = engineer.get("/api/v1/sync/pull").json()
    template = next(
        t
        for t in pack["templates"]
        if t["device_kind"] == device["type"]["kind"] and t["inspection_kind"] == "quarterly"
    )
    record = rec.inspection(template, device["tag"])
    record.update(phone_id="p-00000000000000000000beef", prev_hash="ab" * 32)  # never sent
    answer = engineer.post_json("/api/v1/sync/push", {"records": [record]})
    assert answer.json()["results"][0]["status"] == "created"  # accepted, not refused
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/review", ready="#app[data-loaded]")
    assert page.locator("[data-count=chain]").inner_text() == "1"
    page.click("#counts button[data-queue=chain]")
    row = page.locator(f"#chain [data-record='{record['uuid']}']")
    assert "前一条记录服务器尚未收到" in row.inner_text()
    assert "存证链缺口" in page.locator("#counts").inner_text()
    context.close()
