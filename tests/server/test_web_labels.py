"""The /labels page in headless Chromium against a real server: sign in, preview, download, offsets, language."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.chromium import new_context
from tests.live_server import serve

pytestmark = [pytest.mark.live, pytest.mark.browser]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The demo province served by a real server process; its URL. Stopped afterwards."""
    with serve(
        tmp_path_factory.mktemp("labels-live"),
        demo=True,
        env={"LABEL_URL_BASE": "https://xj.example.cn"},
    ) as live:
        yield live.base_url


def test_supervisor_previews_downloads_and_calibrates(server, browser, tmp_path):
    context = new_context(browser, accept_downloads=True)
    page = context.new_page()
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url)
            if not request.url.startswith((server, "blob:", "data:"))
            else None
        ),
    )
    page.goto(f"{server}/labels")
    page.fill("#login input[name=username]", "supervisor")
    page.fill("#login input[name=password]", "zhuguan-demo-2026")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#app:not([hidden])")
    assert page.inner_text("h1") == "标签打印"
    page.wait_for_function("() => document.querySelectorAll('#county option').length > 80")
    page.select_option("#template", "a4-3x8")
    page.select_option("#mode", "county")
    page.select_option("#county", "520102")
    page.click("#preview")
    page.wait_for_function("() => document.querySelector('#preview-image').naturalWidth > 0")
    assert "张标签" in page.inner_text("#preview-count")

    with page.expect_download() as download:
        page.click("#print")
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and download.value.suggested_filename == "labels-a4-3x8.pdf"
    page.wait_for_selector("#jobs tbody tr")
    assert "region 520102" in page.inner_text("#jobs tbody")

    with page.expect_download() as calibration:
        page.click("#calibration")
    assert Path(calibration.value.path()).read_bytes().startswith(b"%PDF")

    page.fill("#offset-x", "9")
    page.click("#offsets button[type=submit]")
    page.wait_for_function(
        "() => document.querySelector('#message').textContent.includes('use a value between')"
    )
    # in Chinese: the error in words; the server's English only in the collapsed details
    assert page.inner_text("#message").startswith(
        "内容有误"
    ) and "use a value" not in page.inner_text("#message")

    page.click("#lang")
    assert page.inner_text("h1") == "Label printing"
    assert outside == []  # no CDN, nothing from the internet
    context.close()


def test_engineer_is_told_to_ask_a_supervisor(server, browser):
    context = new_context(browser)
    page = context.new_page()
    page.goto(f"{server}/labels")
    page.fill("#login input[name=username]", "engineer")
    page.fill("#login input[name=password]", "gongcheng-demo-2026")
    page.click("#login button[type=submit]")
    page.wait_for_selector("#message:not([hidden])")
    assert "主管" in page.inner_text("#message")
    assert page.is_hidden("#printing")
    context.close()
