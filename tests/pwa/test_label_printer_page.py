"""The office label page and thermal printers, in real Chromium on the live server: the output
choice (PDF, TSPL, ZPL files, each configured printer) is in Chinese; a batch sent to the printer
(a local TCP listener) decodes to the right tag; a printer that does not answer (after the timeout) is said in Chinese
and its job is listed failed with a retry button."""

from __future__ import annotations

import json

import pytest
import zxingcpp

from tests.chromium import new_context, office_sign_in
from tests.live_server import serve
from tests.thermal_printer import Printer, silent_port, tspl_pages

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    printer = Printer()
    silent, held = silent_port()  # a printer switched off: the connection times out
    gone_port = silent.getsockname()[1]
    printers = [
        {
            "name": "desk-tsc",
            "language": "tspl",
            "dpi": 203,
            "host": "127.0.0.1",
            "port": printer.port,
        },
        {
            "name": "store-zebra",
            "language": "zpl",
            "dpi": 300,
            "host": "127.0.0.1",
            "port": gone_port,
        },
    ]
    env = {"LABEL_PRINTERS": json.dumps(printers), "LABEL_PRINTER_TIMEOUT": "2"}
    try:
        with serve(tmp_path_factory.mktemp("instance"), env=env) as server:
            yield server, printer
    finally:
        printer.close()
        for client in held:
            client.close()
        silent.close()


def test_send_a_tag_to_the_printer_and_retry_a_failed_job(live, browser):
    server, printer = live
    admin = server.client("admin")
    room = admin.get("/api/v1/sites/520102").json()["rooms"][0]
    device = admin.post_json(
        "/api/v1/devices", {"type_code": "L09", "room_id": room["id"], "serial": "SN-T1"}
    )
    assert device.status == 201, device.body
    tag = device.json()["tag"]
    context = new_context(browser, locale="zh-CN", accept_downloads=True)
    try:
        page = context.new_page()
        office_sign_in(page, server.base_url, "supervisor", "/labels", "#output")
        page.wait_for_selector("#output option[value='printer:desk-tsc']", state="attached")
        options = page.locator("#output option").all_inner_texts()
        assert options[:3] == [
            "下载 PDF（桌面打印）",
            "下载 TSPL 指令文件（TSC 等热敏打印机）",
            "下载 ZPL 指令文件（斑马打印机）",
        ]
        assert "发送到打印机：desk-tsc（TSPL 指令（TSC 等热敏打印机），203 dpi）" in options
        page.select_option("#template", "roll-40x30")
        page.select_option("#mode", "tags")
        page.fill("#tags", tag)
        page.select_option("#output", "printer:desk-tsc")
        page.click("#print")
        page.wait_for_selector("text=已发送 1 张标签到打印机 desk-tsc")
        [image] = tspl_pages(printer.wait(), 203)
        [found] = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
        assert found.text.endswith(f"/D/{tag}") or found.text.endswith(f"/d/{tag}")

        page.select_option("#output", "printer:store-zebra")
        page.click("#print")
        page.wait_for_function(
            "() => !document.querySelector('#print').disabled && !/正在/.test(document.querySelector('#message').textContent)"
        )
        message = page.locator("#message").inner_text()
        assert "标签打印机没有接收这批标签" in message, message
        failed = page.locator("#jobs tbody td[data-status=failed]")
        failed.wait_for()
        assert "打印机未接收，待重试" in failed.inner_text()
        assert failed.locator("button").inner_text() == "重试"
    finally:
        context.close()
