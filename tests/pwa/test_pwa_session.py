"""Against the real server, an ended session or a stale CSRF token never loses the outbox: sign in
again / refresh the token, then the record is stored exactly once."""

import pytest
from field_seed import count, execute, new_device
from helpers import jpeg_bytes
from phone import Phone

pytestmark = [pytest.mark.browser, pytest.mark.live]


def test_expired_session_keeps_outbox_until_login(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    # The server forgot us: every session row revoked, as a sign-out elsewhere or expiry does.
    execute(live_server, "update user_session set revoked_at = CURRENT_TIMESTAMP")
    phone.save_check(device["tag"], jpeg_bytes((0, 128, 0), (64, 48)))
    interrupted = phone.page.evaluate("location.pathname")
    phone.page.locator(".xj-banner-warn").filter(has_text="登录已过期").click()
    [record] = phone.outbox()
    assert record["state"] == "waiting"
    assert count(live_server, "select count(*) from inspection") == 0
    phone.log_in("engineer", lands=interrupted)  # sign-in returns to the screen it interrupted
    phone.wait_outbox(["sent"])
    assert (
        count(live_server, "select count(*) from inspection where uuid = :u", u=record["uuid"]) == 1
    )
    phone.open("/outbox", "[data-testid=outbox-record][data-state=sent]")


def test_stale_csrf_token_is_refreshed_and_the_push_retried(context, live_server):
    device = new_device(live_server)
    phone = Phone.of(context, live_server).sign_in()
    refused = []
    phone.page.on(
        "response",
        lambda r: (
            # the sync's first write (the outbox report, then the push) meets the stale token
            refused.append(r.url)
            if r.url.endswith(("/sync/report", "/sync/push")) and r.status == 400
            else None
        ),
    )
    phone.open(f"/d/{device['tag']}/check")
    phone.fill_checklist(jpeg_bytes((0, 0, 128), (64, 48)))
    # Once the app has booted (a boot reads a fresh token): the phone's token is now stale.
    phone.set_meta("csrf", "rotated")
    phone.page.click("[data-testid=save-check]")
    [record] = phone.wait_outbox(["sent"])
    assert refused, "the stale token was never sent, so the refresh was not tested"
    assert phone.meta("csrf") != "rotated"
    assert (
        count(live_server, "select count(*) from inspection where uuid = :u", u=record["uuid"]) == 1
    )
    assert count(live_server, "select count(*) from inspection") == 1
    phone.open("/outbox", "[data-testid=outbox-record][data-state=sent]")
