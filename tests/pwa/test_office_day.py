"""Issue 16's "Done when", tried as new users would in real Chromium on the real server, outside
demo mode: the admin signs in with the published demo password and must replace it, creates a
county site with two rooms, imports 20 devices from an XLSX with one bad row (the row's problem in
Chinese, fixed, imported), moves one and prints its label; the supervisor logs a phone-reported
fault and assigns it, the engineer's phone lists it on Today; a conflict pushed by two phones is
reviewed and accepted; the audit log page shows each of these with who and when; the viewer opens
the label's URL and gets a read-only device page."""

from __future__ import annotations

import copy

import pytest
from phone import Phone
from test_review_page import _push, _template

from tests import sync_records as rec
from tests.chromium import new_context
from tests.live_server import HttpClient, serve
from tests.server.api.test_device_import import rows_of, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.live]

SITE, ROOMS = "520199", ("主会场", "信访室")
DEMO = {  # the published demo passwords (server/services/demo.py) and what each user picks
    "admin": ("guanli-demo-2026", "贵阳-老城区-三条小巷"),
    "supervisor": ("zhuguan-demo-2026", "遵义-湘江-七座石桥"),
    "engineer": ("gongcheng-demo-2026", "凯里-清水江-两座木桥"),
    "engineer2": ("gongcheng-demo-2026", "铜仁-锦江-九道河湾"),
    "viewer": ("shenji-demo-2026", "安顺-黄果树-一挂瀑布"),
}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("office-day"), demo=True, env={"XUNJIAN_DEMO": "0"}) as live:
        yield live


def client(server, username: str) -> HttpClient:
    return HttpClient(server.base_url).login(username, DEMO[username][1])


def replace_password(server, username: str) -> None:
    """A user's own first sign-in over the API: the demo password, then a new one."""
    old, new = DEMO[username]
    http = HttpClient(server.base_url).login(username, old)
    assert http.get("/api/v1/auth/me").json()["user"]["must_change_password"] is True
    answer = http.post_json("/api/v1/auth/password", {"current_password": old, "new_password": new})
    assert answer.status == 204, answer.body


def office_first_sign_in(page, base_url: str, username: str, path: str, ready: str) -> None:
    """Sign in on an office page with the demo password, replace it on the form it forces."""
    old, new = DEMO[username]
    page.goto(base_url + path)
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", old)
    page.click("form.login button")
    form = page.wait_for_selector("form#password-change")
    assert "演示密码" in form.inner_text()
    page.fill("#password-change input[name=current_password]", old)
    page.fill("#password-change input[name=new_password]", new)
    page.fill("#password-change input[name=repeat]", new)
    page.click("#password-change button[type=submit]")
    page.wait_for_selector(ready)


def import_rows(bad_at: int | None = None) -> list[list[str]]:
    """20 devices for the new site's first room (a site that does not exist in the bad row)."""
    rows = [
        [r[0], f"SN-DAY-{n:03d}", r[2], SITE, ROOMS[0], *r[5:]] for n, r in enumerate(rows_of(20))
    ]
    if bad_at is not None:
        rows[bad_at][3] = "529999"
    return rows


def admin_sets_up_the_site(server, browser, tmp_path) -> str:
    """Password, site, rooms, import, move, label: the tag of the moved device."""
    context = new_context(browser, locale="zh-CN", accept_downloads=True)
    page = context.new_page()
    office_first_sign_in(page, server.base_url, "admin", "/registry", "#site-list tbody tr")
    form = page.locator("#create-site")
    form.locator("input[name=code]").fill(SITE)
    form.locator("input[name=name]").fill("测试县医疗保障局")
    form.locator("select[name=tier]").select_option("county")
    form.locator("input[name=region_code]").fill("520102")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#add-room")
    for name in ROOMS:
        page.fill("#add-room input[name=name]", name)
        page.click("#add-room button")
        page.wait_for_selector(f"#room-list li:has-text('{name}')")

    bad, good = tmp_path / "bad.xlsx", tmp_path / "good.xlsx"
    bad.write_bytes(xlsx(import_rows(bad_at=6)))
    good.write_bytes(xlsx(import_rows()))
    page.goto(server.base_url + "/registry")
    page.wait_for_selector("#import-form")
    page.set_input_files("#import-form input[name=file]", str(bad))
    page.click("#import-form button[type=submit]")
    problem = page.wait_for_selector("#import-problems tr[data-row='8']").inner_text()
    assert "单位代码" in problem and "没有单位“529999”" in problem
    assert page.locator("#import-run").is_disabled()
    page.set_input_files("#import-form input[name=file]", str(good))
    page.click("#import-form button[type=submit]")
    page.wait_for_selector("#import-result >> text=没有问题，可以导入。")
    page.click("#import-run")
    page.wait_for_selector("#import-done")
    assert "已导入 20 台设备" in page.locator("#import-done").inner_text()
    http = client(server, "admin")
    devices = http.get(f"/api/v1/devices?site={SITE}&per_page=50").json()
    assert devices["total"] == 20
    tag = next(d["tag"] for d in devices["items"] if d["serial"] == "SN-DAY-005")

    target = next(
        r for r in http.get(f"/api/v1/sites/{SITE}").json()["rooms"] if r["name"] == ROOMS[1]
    )
    page.goto(f"{server.base_url}/devices/{tag}")
    page.wait_for_selector("#move")
    page.locator("#move select[name=site]").select_option(SITE)
    page.wait_for_selector(
        f"#move select[name=room_id] option[value='{target['id']}']", state="attached"
    )
    page.locator("#move select[name=room_id]").select_option(str(target["id"]))
    page.fill("#move input[name=reason]", "信访室新装")
    page.click("#move button[type=submit]")
    page.wait_for_selector("#timeline li:first-child:has-text('信访室新装')")
    assert page.locator("#details dd[data-field=room]").inner_text() == ROOMS[1]
    page.wait_for_selector("#writes [data-testid=device-writes]")
    with page.expect_download() as download:
        page.click("#print-label button[type=submit]")
    assert download.value.suggested_filename == f"label-{tag}.pdf"
    assert download.value.path().read_bytes().startswith(b"%PDF")
    context.close()
    return tag


def supervisor_logs_and_assigns(server, browser, tag: str) -> int:
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_first_sign_in(page, server.base_url, "supervisor", "/desk", "#app[data-loaded] #log")
    page.fill("#log input[name=tag]", tag)
    page.fill("#log input[name=caller]", "县局办公室张三")
    page.fill("#log input[name=description]", "信访室摄像机无画面")
    page.click("#log button")
    page.wait_for_selector("#detail[data-fault] #assign-form")
    fault_id = int(page.get_attribute("#detail[data-fault]", "data-fault"))
    page.select_option("#assign-form select[name=user_id]", label="李工程师")
    page.fill("#assign-form input[name=note]", "请今天到场")
    page.click("#assign-form button")
    page.wait_for_selector("#steps tr[data-step=assigned] >> text=李工程师")
    context.close()

    field = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    phone = Phone.of(field, server).sign_in("engineer", DEMO["engineer"][1])
    phone.open("/", "[data-testid=assigned-faults]")
    assigned = phone.page.locator("[data-testid=assigned-fault]")
    assert assigned.count() == 1
    assert tag in assigned.inner_text() and "信访室摄像机无画面" in assigned.inner_text()
    field.close()
    return fault_id


def supervisor_accepts_a_conflict(server, browser, tag: str) -> str:
    """Two phones push the same inspection with different results; the phone's is accepted."""
    phone_a, phone_b = client(server, "engineer"), client(server, "engineer2")
    pack = phone_a.get("/api/v1/sync/pull").json()
    device_type = next(t for t in pack["device_types"] if t["code"] == "L09")
    template = _template(pack, device_type)
    item = next(i for i in template["items"] if i["type"] == "pass_fail")
    record = rec.inspection(template, tag)
    assert _push(phone_a, [record])[0]["status"] == "created"
    other = copy.deepcopy(record)
    next(r for r in other["data"]["results"] if r["key"] == item["key"])["value"] = "fail"
    other["data"]["notes"] = "镜头有划痕"
    assert _push(phone_b, [other])[0]["status"] == "conflict"

    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(server.base_url + "/review")
    page.fill("input[name=username]", "supervisor")
    page.fill("input[name=password]", DEMO["supervisor"][1])
    page.click("form.login button")
    box = page.locator("#conflicts [data-conflict]")
    box.wait_for()
    assert "镜头有划痕" in box.locator("[data-testid=differences]").inner_text()
    box.locator("input[name=note]").fill("手机上的结果正确")
    box.locator("button[data-resolution=accepted]").click()
    page.wait_for_selector("#conflicts [data-conflict]", state="detached")
    context.close()
    accepted = client(server, "supervisor").get("/api/v1/sync/conflicts?state=accepted").json()
    assert [c["resolution_note"] for c in accepted["items"]] == ["手机上的结果正确"]
    return accepted["items"][0]["accepted_uuid"]


def device_rooms(server) -> list[dict]:
    return client(server, "admin").get(f"/api/v1/sites/{SITE}").json()["rooms"]


def audit_rows(page, **filters) -> list[list[str]]:
    """The audit page's rows (when, who, channel, action, what, changes) for these filters."""
    for name, value in filters.items():
        page.fill(f"#filters input[name={name}]", value)
    page.click("#filters button")
    page.wait_for_function(
        "(f) => document.querySelector('#app').dataset.loaded === '1' &&"
        " [...document.querySelectorAll('#rows tbody tr')].length > 0 &&"
        " [...document.querySelectorAll('#rows tbody tr')].every("
        "   (tr) => tr.children[1].textContent.includes(f))",
        arg=filters.get("actor", ""),
    )
    return page.evaluate(
        "[...document.querySelectorAll('#rows tbody tr')].map("
        " (tr) => [...tr.children].map((td) => td.textContent))"
    )


def test_an_office_day_outside_demo_mode(server, browser, tmp_path):
    for username in ("engineer", "engineer2", "viewer"):
        replace_password(server, username)
    tag = admin_sets_up_the_site(server, browser, tmp_path)
    fault_id = supervisor_logs_and_assigns(server, browser, tag)
    supervisor_accepts_a_conflict(server, browser, tag)

    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(server.base_url + "/audit")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", DEMO["admin"][1])
    page.click("form.login button")
    page.wait_for_selector("#app[data-loaded] #rows table")
    admin_rows = audit_rows(page, actor="admin")
    what = "\n".join(" ".join(r) for r in admin_rows)
    assert all(r[0].strip() and "admin" in r[1] for r in admin_rows)
    for words in (SITE, *ROOMS, "SN-DAY-019"):
        assert words in what, (words, what[:2000])
    device = client(server, "admin").get(f"/api/v1/devices/{tag}").json()
    rooms = {r["name"]: r["id"] for r in device_rooms(server)}
    moved = [r for r in admin_rows if r[3] == "修改" and r[4] == f"设备 #{device['id']}"]
    # The rooms by name (the audit answer's `names`), the ids beside them.
    old, new = (f"{name} #{rooms[name]}" for name in ROOMS)
    assert f"房间: {old} → {new}" in moved[0][5], moved
    assert any(r[4].startswith("标签打印") and tag in r[5] for r in admin_rows)
    supervisor_rows = audit_rows(page, actor="supervisor")
    what = "\n".join(" ".join(r) for r in supervisor_rows)
    assert all(r[0].strip() and "supervisor" in r[1] for r in supervisor_rows)
    for words in (f"#{fault_id}", "县局办公室张三", "手机上的结果正确"):
        assert words in what, (words, what[:2000])
    assigned = [r for r in supervisor_rows if r[3] == "修改" and r[4] == f"故障 #{fault_id}"]
    assert "指派给: — → engineer #" in assigned[0][5], assigned
    context.close()

    phone = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = phone.new_page()
    page.goto(f"{server.base_url}/d/{tag}")
    page.fill("#username", "viewer")
    page.fill("#password", DEMO["viewer"][1])
    page.click("button[type=submit]")
    page.wait_for_url(f"**/devices/{tag}")
    page.wait_for_selector("#faults tbody td:has-text('信访室摄像机无画面')")
    assert page.locator("[data-testid=read-only]").is_visible()
    assert not page.locator("[data-testid=device-actions]").is_visible()
    assert page.locator("main button, main form").count() == 0
    phone.close()
