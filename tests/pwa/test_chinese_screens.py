"""Every screen of the phone and every office page, in Chinese mode, shows no raw enum and no
English prose: a walk in real Chromium against the live server with demo data that fails on
ASCII-only words outside tags, codes, numbers and units."""

from __future__ import annotations

import re

import pytest

from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import serve
from tests.server.test_faults_page import faults_and_a_flagged_swap

pytestmark = [pytest.mark.browser, pytest.mark.live]

ENGINEER = ("engineer", "gongcheng-demo-2026")
SUPERVISOR_PASSWORD = "zhuguan-demo-2026"
# Words that are names, not prose: units, file formats, standards, the contract's own codes.
ALLOWED = {
    "PDF",
    "CSV",
    "XLSX",
    "QR",
    "RMA",
    "ID",
    "mm",
    "min",
    "h",
    "dBFS",
    "dB",
    "ms",
    "ping",
    "X",
    "Y",
    "M",
    "Q",
    "A4",
    "HDMI",
    "IP",
    "LED",
    "UPS",
    "PoE",
    "MCU",
    "USB",
    "VGA",
    "Mbps",
    "Wi",
    "Fi",
    "CPU",
    "GB",
    "MB",
    "KB",
    "B",
    "English",
    "fps",
    "Hz",
    "V",
    "W",
    "px",
    "SIP",
}
# What the seed typed as user data (a fault's description, its resolution): not the UI's words.
USER_TEXT = {"No", "picture", "sound", "Cable", "reseated"}
# Text nodes outside: code (tags, codes, the server's prose as a detail), closed <details>, hidden.
VISIBLE_TEXT = """() => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!el || el.closest('code, script, style, noscript, template, [hidden]')) continue;
    const details = el.closest('details');
    if (details && !details.open && !el.closest('summary')) continue;
    if (!el.getClientRects().length) continue;
    out.push(node.textContent);
  }
  for (const el of document.querySelectorAll('input[placeholder], textarea[placeholder]')) out.push(el.placeholder);
  for (const el of document.querySelectorAll('option')) out.push(el.textContent);
  return out.join('\\n');
}"""
# Tags, codes (all capitals: site, type and model codes), anything with a digit (template names such
# as a4-3x8, models), single letters.
TAG_OR_CODE = re.compile(r"^([A-Z][A-Z0-9-]*|[\w.-]*\d[\w.-]*|[A-Za-z])$")


def english_words(text: str) -> list[str]:
    """ASCII-letter words that are not tags, codes, numbers or allowed names."""
    words = re.findall(r"[A-Za-z][A-Za-z0-9_'.-]*", text)
    found = []
    for word in words:
        bare = word.strip(".-'")
        if not bare or TAG_OR_CODE.match(bare) or bare in ALLOWED or bare in USER_TEXT:
            continue
        found.append(bare)
    return found


def assert_chinese(page, where: str) -> None:
    text = page.evaluate(VISIBLE_TEXT)
    assert english_words(text) == [], f"{where}: {english_words(text)}\n{text}"


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    with serve(
        tmp_path_factory.mktemp("instance"), demo=True, seed=faults_and_a_flagged_swap
    ) as live:
        yield live, live.seeded


def test_english_words_finds_enums_and_prose_but_not_tags():
    assert english_words("状态 in_service") == ["in_service"]
    assert english_words("原因：This UUID was already stored") == [
        "This",
        "was",
        "already",
        "stored",
    ]
    assert english_words("计划 overdue") == ["overdue"]
    assert english_words("GZ3K7M2Q · L09 · 2026Q1 · 12 mm · 520102 · RMA #3 · a4-3x8 · GUIAN") == []


def test_every_phone_screen_is_chinese(demo, browser):
    live, seeded = demo
    context = new_context(browser, locale="zh-CN", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(live.base_url + "/login")
    assert_chinese(page, "/login")
    page.fill("#username", ENGINEER[0])
    page.fill("#password", ENGINEER[1])
    page.click("button[type=submit]")
    page.wait_for_function("() => location.pathname === '/'")
    page.wait_for_selector("main select option:nth-child(2)", state="attached", timeout=30000)
    tag = seeded["breached_tag"]
    screens = [
        ("/", "main"),
        ("/outbox", "[data-testid=kept-note]"),
        ("/settings", "main"),
        (f"/d/{tag}", "[data-testid=device]"),
        (f"/d/{tag}/check", "[data-testid=checklist]"),
        (f"/d/{tag}/fault", "main form"),
        ("/swap", "main"),
        (f"/d/{seeded['spare_tag']}", "[data-testid=device]"),
    ]
    for path, ready in screens:
        page.evaluate(
            "(p) => { history.pushState(null, '', p); dispatchEvent(new PopStateEvent('popstate')); }",
            path,
        )
        page.wait_for_selector(ready)
        page.wait_for_function(
            "() => !document.querySelector('main').textContent.includes('加载中')"
        )
        assert_chinese(page, path)
    page.goto(live.base_url + f"/d/{tag}")
    page.wait_for_selector("[data-testid=fault-row] a")
    page.click("[data-testid=fault-row] a")
    page.wait_for_selector("[data-testid=fault-clocks] [data-clock]")
    assert_chinese(page, "fault")
    context.close()


@pytest.mark.parametrize(
    "name, ready",
    [("coverage", ".tile"), ("faults", "#faults table"), ("labels", "#county option")],
)
def test_every_office_page_is_chinese(demo, browser, name, ready):
    live, seeded = demo
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    page.goto(f"{live.base_url}/{name}")
    page.wait_for_selector("form.login")
    assert_chinese(page, f"/{name} sign-in")
    supervisor_sign_in(page, f"{live.base_url}/{name}", SUPERVISOR_PASSWORD)
    page.wait_for_selector(ready, state="attached")
    if name == "faults":
        page.goto(f"{live.base_url}/faults")
        page.wait_for_selector("#faults table")
        page.fill("#custody-form input[name=tag]", seeded["spare_tag"])
        page.click("#custody-form button")
        page.wait_for_selector("#custody-result table")
        # the stored reason codes in the shared dictionary's words (core/dict/reasons.js)
        assert "备件放入承包商库房" in page.locator("#custody-result").inner_text()
        flags = page.locator("[data-testid=swap-flags]").first.inner_text()
        assert "不是扫描时的房间" in flags
    if name == "coverage":
        page.click('#tabs button[data-list="missing"]')
        page.wait_for_selector("#list table")
    assert page.locator(".office-nav a").count() == 3
    assert_chinese(page, f"/{name}")
    context.close()
