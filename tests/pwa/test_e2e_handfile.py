"""Issue 20's hand-over by file on the REAL server in headless Chromium: an engineer offline
exports the unsent records as one file, the office imports it on its page (every record once,
again: nothing new), and the phone, still offline, takes the receipt and shows them sent; a
receipt for another phone or an altered one is refused in Chinese and changes nothing."""

from __future__ import annotations

import json

import pytest
from field_seed import count
from helpers import jpeg_bytes
from phone import Phone

from server import tags
from tests.chromium import new_context, office_sign_in

pytestmark = [pytest.mark.browser, pytest.mark.live]


def _export(phone: Phone, path) -> None:
    page = phone.page
    phone.open("/outbox", "[data-testid=hf-export]")
    with page.expect_download() as download:
        page.click("[data-testid=hf-export]")
    download.value.save_as(path)
    page.wait_for_selector("[data-testid=hf-message]")
    assert "导出" in page.locator("[data-testid=hf-message]").inner_text()


def _office_import(page, path) -> str:
    """Import the file on the office page; the message line."""
    page.set_input_files("#import-file", str(path))
    page.click("#import-run")
    page.wait_for_function("() => !document.querySelector('#import-result').hidden")
    return page.locator("#message").inner_text()


def _receipt_error(phone: Phone, text: str, tmp_path, name: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    phone.page.set_input_files("[data-testid=hf-receipt]", str(path))
    phone.page.wait_for_selector("[data-testid=hf-error]")
    return phone.page.locator("[data-testid=hf-error]").inner_text()


def test_an_offline_engineer_hands_over_by_file(context, live_server, browser, tmp_path):
    phone = Phone.of(context, live_server).sign_in()
    phone.go_offline(context)
    checked = [tags.make_tag(870000 + n) for n in (1, 2)]
    for n, tag in enumerate(checked):
        phone.save_check(tag, jpeg_bytes(color=(40 * n, 90, 200)))
    records = phone.outbox()
    assert records and {r["state"] for r in records} == {"waiting"}
    uuids = [r["uuid"] for r in records]
    exported = tmp_path / "phone.xjsync"
    _export(phone, exported)
    assert {r["state"] for r in phone.outbox()} == {"waiting"}  # exporting is not sending

    office = new_context(browser, locale="zh-CN")
    try:
        page = office.new_page()
        office_sign_in(page, live_server.base_url, "supervisor", "/fileimport", "#import-form")
        first = _office_import(page, exported)
        assert f"{len(uuids)} 条新记录" in first, first
        assert page.locator("#import-answers tr[data-status=created]").count() == len(uuids)
        with page.expect_download() as download:
            page.click("#import-receipt")
        receipt = tmp_path / "phone.xjreceipt"
        download.value.save_as(receipt)
        by_uuid = "select count(*) from sync_receipt where uuid = :u"
        assert [count(live_server, by_uuid, u=u) for u in uuids] == [1] * len(uuids)
        for tag in checked:
            assert count(live_server, "select count(*) from inspection where tag = :t", t=tag) == 1
        again = _office_import(page, exported)
        assert "0 条新记录" in again and f"{len(uuids)} 条重复" in again, again
        for tag in checked:
            assert count(live_server, "select count(*) from inspection where tag = :t", t=tag) == 1
        engineer = "select count(distinct user_id) from sync_receipt where uuid in ({})"
        marks = ", ".join(f"'{u}'" for u in uuids)
        assert count(live_server, engineer.format(marks)) == 1
    finally:
        office.close()

    text = receipt.read_text(encoding="utf-8")
    line, signature = text.split("\n")[:2]
    other = dict(json.loads(line), phone_id="p-someone-elses-phone")
    shown = _receipt_error(
        phone, json.dumps(other) + "\n" + signature + "\n", tmp_path, "other.xjreceipt"
    )
    assert shown == "这份回执属于另一部手机，不能用于本机。"
    altered = text.replace('"created"', '"rejected"', 1)
    assert "签名不符" in _receipt_error(phone, altered, tmp_path, "altered.xjreceipt")
    assert {r["state"] for r in phone.outbox()} == {"waiting"}

    phone.page.set_input_files("[data-testid=hf-receipt]", str(receipt))
    phone.wait_outbox_states({u: "sent" for u in uuids})
    message = phone.page.locator("[data-testid=hf-message]").inner_text()
    assert f"{len(uuids)} 条标为已发送" in message, message
    phone.page.wait_for_function(
        "(n) => document.querySelectorAll("
        "'[data-testid=outbox-record][data-state=sent]').length === n",
        arg=len(uuids),
    )
    photos = phone.rows("photos")
    assert photos and all(p["uploaded"] for p in photos)
