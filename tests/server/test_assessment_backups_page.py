"""The assessment page's backups section in real headless Chromium: the latest runs with their
results in Chinese (a verified one, one whose restore check failed), English when chosen."""

from __future__ import annotations

import pytest

from server.extensions import db
from server.models import BackupRun, utcnow
from tests.chromium import new_context, office_sign_in
from tests.live_server import serve
from tests.pwa.chinese_text import english_words

pytestmark = [pytest.mark.browser, pytest.mark.live]


def two_backups() -> None:
    now = utcnow()
    for state, reason in (
        ("verified", None),
        ("check_failed", "inspection: 5 rows at backup, 4 restored"),
    ):
        db.session.add(
            BackupRun(
                started_at=now,
                finished_at=now,
                ran_by="task:backups.daily",
                state=state,
                reason=reason,
                file_name=f"xunjian-{now:%Y%m%dT%H%M%S}Z-sqlite.xjbk",
                size=3 * 1048576,
                sha256="ab" * 32,
                db_kind="sqlite",
                revision="0029_backups",
                counts={"inspection": 5, "visit": 1},
                digests={},
                photos=2,
                check_seconds=1.5,
            )
        )
    db.session.commit()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("instance"), seed=two_backups) as live:
        yield live


def test_the_latest_backups_in_chinese_then_english(server, browser):
    context = new_context(browser, locale="zh-CN")
    page = context.new_page()
    office_sign_in(page, server.base_url, "viewer", path="/assessment", ready="#backups table")
    rows = page.locator("#backups tbody tr")
    assert rows.count() == 2
    states = page.inner_text("#backups tbody")
    assert "已验证可恢复" in states and "恢复验证未通过" in states
    assert "3.0 MB" in states and "1.5 s" in states
    assert "rows at backup" not in states  # the server's prose stays off the Chinese screen
    # (the live server's users have English names, so the section is checked, not the page)
    assert english_words(page.inner_text("#backup-list")) == []
    page.click("#lang")
    page.wait_for_function(
        "() => document.querySelector('#backups')?.innerText.includes('Failed its restore check')"
    )
    assert "5 rows at backup, 4 restored" in page.inner_text("#backups")
    context.close()
