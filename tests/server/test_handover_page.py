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


def expired_and_failed_builds() -> dict:
    """Two past builds: one whose file retention removed, one whose worker was lost."""
    from datetime import timedelta

    import sqlalchemy as sa

    from server.extensions import db
    from server.models import Job, User, utcnow

    boss = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    done = utcnow() - timedelta(days=40)
    common = {"kind": "handover", "created_by_id": boss.id, "started_at": done, "finished_at": done}
    expired = Job(status="expired", params={"period": "2025Q3"}, result_name="old.zip", **common)
    lost = Job(
        status="failed",
        params={"period": "2025Q2"},
        error_code="worker_lost",
        error_message="The worker stopped reporting progress; start the job again.",
        **common,
    )
    db.session.add_all([expired, lost])
    db.session.commit()
    return {"expired": expired.id, "failed": lost.id}


def test_expired_and_failed_builds_are_said_in_words(tmp_path, browser):
    from tests.live_server import HttpClient, serve

    with serve(tmp_path, seed=expired_and_failed_builds) as live:
        ids = live.seeded
        http = HttpClient(live.base_url).login("supervisor", PASSWORD)
        gone = http.get(f"/api/v1/jobs/{ids['expired']}/download")
        assert gone.status == 410 and gone.json()["error"]["code_name"] == "job_expired"
        context = new_context(browser, locale="zh-CN")
        page = context.new_page()
        supervisor_sign_in(page, f"{live.base_url}/handover", PASSWORD)
        page.wait_for_selector(f"#builds tr[data-job='{ids['expired']}']")
        expired = page.locator(f"#builds tr[data-job='{ids['expired']}']")
        assert "已过期（文件已删除）" in expired.inner_text()
        assert expired.locator("a").count() == 0  # nothing to download
        failed = page.locator(f"#builds tr[data-job='{ids['failed']}']").inner_text()
        assert "失败" in failed and "后台任务进程中断" in failed
        context.close()
