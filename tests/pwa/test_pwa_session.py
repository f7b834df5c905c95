"""An expired session or a stale CSRF token never loses the outbox: login again / refresh the token, then it is sent."""
import pytest

from fake_server import TAGS
from helpers import login_and_sync

pytestmark = pytest.mark.browser


def save_quick_check(page, server, tag):
    page.goto(server.url + f"/d/{tag}/check")
    items = page.locator("[data-testid=item]")
    items.nth(0).locator("button.pass").click()
    items.nth(1).locator("input[type=number]").fill("12")
    items.nth(2).locator("button.na").click()
    items.nth(2).locator("[data-testid=photo-input]").set_input_files(
        files=[{"name": "x.png", "mimeType": "image/png", "buffer": _png()}])
    page.wait_for_selector("[data-testid=item][data-key='cabling.photo'] .xj-thumbs img")
    page.click("[data-testid=save-check]")
    page.wait_for_selector("[data-testid=device], [data-testid=visit]")  # back to the device, or to the active visit


def _png():
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (0, 128, 0)).save(buf, "PNG")
    return buf.getvalue()


def test_expired_session_keeps_outbox_until_login(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    server.state.sessions.clear()           # the server forgot us
    save_quick_check(page, server, TAGS["terminal"])
    page.locator(".xj-banner-warn").filter(has_text="登录已过期").click()
    page.fill("#password", "pw")
    page.click("button[type=submit]")
    page.goto(server.url + "/outbox")
    page.wait_for_selector("[data-testid=outbox-record][data-state=sent]", timeout=20000)
    assert len(server.state.records) == 1


def test_stale_csrf_token_is_refreshed_and_the_push_retried(context, server):
    page = context.new_page()
    login_and_sync(page, server)
    for token in server.state.sessions:
        server.state.sessions[token] = "rotated"  # the client's token is now stale
    save_quick_check(page, server, TAGS["camera"])
    page.goto(server.url + "/outbox")
    page.wait_for_selector("[data-testid=outbox-record][data-state=sent]", timeout=20000)
    assert [a["status"] for a in server.state.answers] == ["created"]
