"""The registry page in real Chromium on the live server: a supervisor creates a county site and
adds two rooms, a bad region code is refused in Chinese with nothing written; the viewer reads
with no write forms."""

from __future__ import annotations

import pytest

from tests.chromium import new_context, office_sign_in
from tests.live_server import HttpClient

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_supervisor_creates_a_site_with_two_rooms(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/registry", "#site-list tbody tr")
    form = page.locator("#create-site")
    form.locator("input[name=code]").fill("520199")
    form.locator("input[name=name]").fill("测试县局")
    form.locator("select[name=tier]").select_option("county")
    form.locator("input[name=region_code]").fill("999999")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#message:not([hidden])")
    assert page.locator("#message").get_attribute("class") != "ok"
    http = HttpClient(live_server.base_url).login("supervisor")
    assert http.get("/api/v1/sites/520199").status == 404
    form.locator("input[name=code]").fill("520199")
    form.locator("input[name=name]").fill("测试县局")
    form.locator("select[name=tier]").select_option("county")
    form.locator("input[name=region_code]").fill("520102")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#add-room")
    for name in ("主会场", "信访室"):
        page.fill("#add-room input[name=name]", name)
        page.click("#add-room button")
        page.wait_for_selector(f"#room-list li:has-text('{name}')")
    rooms = http.get("/api/v1/sites/520199").json()["rooms"]
    assert [r["name"] for r in rooms] == ["主会场", "信访室"]
    context.close()


def test_viewer_reads_the_registry_without_write_forms(live_server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "viewer", "/registry", "#site-list tbody tr")
    assert page.locator("[data-testid=read-only]").is_visible()
    assert page.locator("#create-site, #create-type").count() == 0
    page.wait_for_selector("#type-list tbody tr")
    context.close()


def test_supervisor_sets_coordinates_and_closes_an_empty_site(live_server, browser):
    http = HttpClient(live_server.base_url).login("supervisor")
    made = http.post_json(
        "/api/v1/sites",
        {"code": "520198", "name": "搬迁县局", "tier": "county", "region_code": "520102"},
    )
    assert made.status == 201, made.body
    assert http.post_json("/api/v1/sites/520198/rooms", {"name": "旧会场"}).status == 201
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/registry", "#site-list tbody tr")
    page.fill("#find-sites input[name=q]", "520198")
    page.click("#find-sites button")
    page.click("#site-list [data-site='520198']")
    page.wait_for_selector("#site-point")
    page.fill("#site-point input[name=lat]", "106.71")  # swapped: refused in words
    page.fill("#site-point input[name=lon]", "26.58")
    page.click("#site-point button")
    page.wait_for_selector("#message:not([hidden])")
    assert "填反" in page.locator("#message").inner_text()
    page.fill("#site-point input[name=lat]", "26.58")
    page.fill("#site-point input[name=lon]", "106.71")
    page.click("#site-point button")
    page.wait_for_selector("#site-point-text >> text=26.58, 106.71")
    page.fill("#close-site input[name=reason]", "迁往新址")
    page.click("#close-site button")
    page.wait_for_selector("#site-closed")
    assert "迁往新址" in page.locator("#site-closed").inner_text()
    assert "已停用" in page.locator("#room-list").inner_text()
    assert http.get("/api/v1/sites/520198").json()["closed_reason"] == "迁往新址"
    context.close()


def test_supervisor_moves_a_selection_and_sees_refusals_in_chinese(live_server, browser):
    http = HttpClient(live_server.base_url).login("supervisor")
    sites = {s["code"]: s for s in http.get("/api/v1/sites?per_page=500").json()["items"]}
    home, target = sites["520102"], sites["520103"]
    home_room = http.get("/api/v1/sites/520102").json()["rooms"][0]["id"]
    tags = []
    for serial in ("BULK-1", "BULK-2"):
        made = http.post_json(
            "/api/v1/devices", {"type_code": "L09", "serial": serial, "room_id": home_room}
        )
        assert made.status == 201, made.body
        tags.append(made.json()["tag"])
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/registry", "#device-list tbody tr")
    page.fill("#find-devices input[name=q]", "BULK-")
    page.click("#find-devices button")
    page.wait_for_selector(f"[data-bulk-tag='{tags[1]}']")
    page.click("#bulk-all")
    assert "已选 2 台" in page.locator("#bulk-count").inner_text()
    assert tags[0] in page.get_attribute("#bulk-print", "href")
    form = page.locator("#bulk-form")
    form.locator("select[name=action]").select_option("status")
    form.locator("select[name=status]").select_option("in_service")  # what they already are
    form.locator("input[name=reason]").fill("盘点")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#bulk-refusals li")
    assert "设备已经是这个状态" in page.locator("#bulk-refusals").inner_text()
    assert page.locator("#bulk-apply").is_disabled()
    form.locator("select[name=action]").select_option("move")
    form.locator("select[name=site]").select_option(target["code"])
    page.wait_for_selector("#bulk-form select[name=room_id] option", state="attached")
    form.locator("input[name=reason]").fill("机房搬迁")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#bulk-result >> text=全部 2 台都可以执行")
    page.click("#bulk-apply")
    page.wait_for_selector("#message:not([hidden]) >> text=已处理 2 台设备")
    for tag in tags:
        device = http.get(f"/api/v1/devices/{tag}").json()
        assert device["site"]["code"] == target["code"], (home["code"], device)


def test_a_type_in_use_is_refused_in_chinese_retired_instead_and_an_unused_one_deleted(
    live_server, browser
):
    http = HttpClient(live_server.base_url).login("supervisor")
    for code in ("USED-T", "DEL-ME"):
        body = {"code": code, "kind": "camera", "name_zh": f"摄像机{code}", "name_en": code}
        assert http.post_json("/api/v1/device-types", body).status == 201
    unit = http.post_json("/api/v1/devices", {"type_code": "USED-T", "status": "spare"})
    assert unit.status == 201, unit.body
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, live_server.base_url, "supervisor", "/registry", "#type-list tbody tr")
    page.click("#type-list [data-delete-type='USED-T']")
    page.wait_for_selector("#message:not([hidden])")
    message = page.locator("#message").inner_text()
    assert "不能删除" in message and "停用" in message, message
    page.click("#type-list [data-retire-type='USED-T']")
    page.wait_for_selector("#type-list [data-retire-type='USED-T'][data-retired=true]")
    row = page.locator("#type-list tr:has([data-retire-type='USED-T'])")
    assert row.locator("[data-testid=type-retired]").inner_text() == "（已停用）"
    page.click("#type-list [data-delete-type='DEL-ME']")
    page.wait_for_selector("#type-list [data-delete-type='DEL-ME']", state="detached")
    assert "已删除" in page.locator("#message").inner_text()
    codes = {t["code"]: t["retired"] for t in http.get("/api/v1/device-types").json()}
    assert "DEL-ME" not in codes and codes["USED-T"] is True
    context.close()
