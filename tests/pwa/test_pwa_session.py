"""An expired session or a stale CSRF token never loses the outbox: login again / refresh the token, then it is sent."""

import pytest
from fake_server import TAGS
from helpers import answer_checklist, image_bytes, login_and_sync, photo

pytestmark = pytest.mark.browser


def save_quick_check(page, server, tag):
    page.goto(server.url + f"/d/{tag}/check")
    answer_checklist(
        page,
        "pass",
        "12",
        "na",
        photo("x.png", image_bytes((0, 128, 0), (64, 48), "PNG"), "image/png"),
    )
    page.click("[data-testid=save-check]")
    page.wait_for_selector(
        "[data-testid=device], [data-testid=visit]"
    )  # back to the device, or to the active visit


def test_expired_session_keeps_outbox_until_login(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    server.state.sessions.clear()  # the server forgot us
    save_quick_check(page, server, TAGS["terminal"])
    page.locator(".xj-banner-warn").filter(has_text="登录已过期").click()
    page.fill("#password", "pw")
    page.click("button[type=submit]")
    # Leaving the page before the login answer arrives would cancel the login itself.
    page.wait_for_selector("[data-testid=plan]")
    page.goto(server.url + "/outbox")
    page.wait_for_selector("[data-testid=outbox-record][data-state=sent]")
    assert len(server.state.records) == 1


def test_stale_csrf_token_is_refreshed_and_the_push_retried(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    for token in server.state.sessions:
        server.state.sessions[token] = "rotated"  # the client's token is now stale
    save_quick_check(page, server, TAGS["camera"])
    page.goto(server.url + "/outbox")
    page.wait_for_selector("[data-testid=outbox-record][data-state=sent]")
    # Stored exactly once. A follow-up sync racing the retry may resend the record; the server
    # then answers "duplicate", which is harmless by protocol (docs/sync.md) and writes nothing.
    statuses = [a["status"] for a in server.state.answers]
    assert len(server.state.records) == 1
    assert statuses[0] == "created" and set(statuses[1:]) <= {"duplicate"}
