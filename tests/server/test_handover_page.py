"""The handover page in headless Chromium against a live server and a live worker: start a
build, watch the progress bar reach the end, download the package, and it verifies."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from server.services.handover.verify import verify
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import PASSWORD, ROOT, server_env

pytestmark = [pytest.mark.browser, pytest.mark.live]


@pytest.fixture
def worker(live_server):
    """A `xunjian worker` on the live server's database and queue (its instance folder)."""
    env = server_env(live_server.db_url, live_server.tmp_dir, photo_dir=live_server.photo_dir)
    with open(live_server.tmp_dir / "worker.log", "ab") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "server.cli", "worker", "--workers", "1"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    yield proc
    os.killpg(proc.pid, 2)
    proc.wait(20)


def test_build_watch_and_download_the_package(live_server, worker, browser, tmp_path):
    context = new_context(browser, accept_downloads=True)
    page = context.new_page()
    supervisor_sign_in(page, f"{live_server.base_url}/handover", PASSWORD)
    page.wait_for_selector("#build")
    assert "移交资料" in page.inner_text("header nav")
    assert "期间" in page.inner_text("#build")
    page.fill("#period", "2025-13")
    page.click("#start")
    page.wait_for_selector("#message:not([hidden])")
    assert "period" not in page.inner_text("#message").split("\n")[0]  # the error in Chinese
    page.fill("#period", "2025Q4")
    page.click("#start")
    page.wait_for_function(
        "() => document.querySelector('#bar')?.dataset.status === 'done'", timeout=60_000
    )
    assert page.eval_on_selector("#bar", "bar => bar.value === bar.max")
    assert "已完成" in page.inner_text("#current-text")
    page.wait_for_selector("#builds tr[data-job] a[download]")
    with page.expect_download() as download:
        page.click("#current-download")
    path = tmp_path / "package.zip"
    download.value.save_as(path)
    checked, findings = verify(path)
    assert findings == [] and checked > 10
    page.click("#lang")
    page.wait_for_selector("#build")
    assert "Handover package" in page.inner_text("header")
    context.close()
