"""The registry's device import in real Chromium on the live server: a supervisor checks an
XLSX of 20 devices with one bad row (the row's problem in Chinese, the import button stays off,
nothing written), fixes the file, imports all 20 and reaches the label page with their tags."""

from __future__ import annotations

import pytest

from tests.chromium import new_context, office_sign_in
from tests.live_server import HttpClient
from tests.server.api.test_device_import import rows_of, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.live]


def _device_total(http) -> int:
    return http.get("/api/v1/devices?per_page=1").json()["total"]


def test_import_with_a_bad_row_then_fixed(live_server, browser, tmp_path):
    http = HttpClient(live_server.base_url).login("supervisor")
    before = _device_total(http)
    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(xlsx(rows_of(20, bad_at=6)))
    good.write_bytes(xlsx(rows_of(20)))
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/registry", "#import-form")
    page.set_input_files("#import-form input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-problems tr[data-row='8']")
    problem = page.locator("#import-problems tr[data-row='8']").inner_text()
    assert "单位代码" in problem and "没有单位“529999”" in problem
    assert page.locator("#import-run").is_disabled()
    assert _device_total(http) == before
    page.set_input_files("#import-form input[name=file]", str(good))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-result >> text=没有问题，可以导入。")
    page.click("#import-run")
    page.wait_for_selector("#import-done")
    assert "已导入 20 台设备" in page.locator("#import-done").inner_text()
    assert _device_total(http) == before + 20
    page.click("#import-result a[href^='/labels?tags=']")
    page.wait_for_function(
        "() => document.querySelector('#tags')?.value.split('\\n').length === 20"
    )
    assert page.locator("#mode").input_value() == "tags"
    context.close()


def test_the_viewer_gets_no_import_form(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "viewer", "/registry", "#site-list tbody tr")
    assert page.locator("#import-form").count() == 0
    context.close()
