"""A shared phone against the real server: after engineer 李工's session is gone, another user signs
in; their sync never sends 李工's unsent fault, they are told whose records wait, and the record
reaches the server under 李工's name: when 李工 signs in again, or when a supervisor receives it."""

from __future__ import annotations

import pytest
from field_seed import count, new_device
from phone import Phone
from test_pwa_a11y import serious_violations

from tests.live_server import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.live]
NOTICE = "李工 的 1 条记录等待发送。请把手机交还给 李工，由其登录后发送；记录不会被删除。"


def create_li(server) -> int:
    created = server.client("admin").post_json(
        "/api/v1/users",
        {"username": "li", "display_name": "李工", "role": "engineer", "password": PASSWORD},
    )
    assert created.status == 201, created.body
    return created.json()["id"]


def user_id(server, username: str) -> int:
    return count(server, 'select id from "user" where username = :u', u=username)


def li_records_offline_then_loses_the_session(context, server, tag: str) -> tuple[Phone, str]:
    """李工 signs in, reports a fault offline (sign-out refused: it is unsent), the session ends."""
    phone = Phone.of(context, server).sign_in("li")
    page = phone.page
    phone.go_offline(context)
    uuid = phone.report_fault(tag, "没有图像 no picture")
    phone.open("/settings")
    page.get_by_role("button", name="退出登录").click()
    page.wait_for_selector(
        "[data-testid=logout-refused]"
    )  # the maker cannot sign out with it unsent
    context.clear_cookies()  # the session expired
    # The boot asks the server who is signed in only when the phone believes it is online.
    phone.back_online(context)
    phone.open("/")
    page.locator(".xj-banner-warn").filter(has_text="登录已过期").wait_for()
    return phone, uuid


def fault_author(server, uuid: str) -> int | None:
    return (
        count(server, "select coalesce(max(user_id), 0) from fault where uuid = :u", u=uuid) or None
    )


def test_another_engineer_does_not_send_it_and_hands_the_phone_back(context, live_server):
    li = create_li(live_server)
    device = new_device(live_server)
    phone, li_uuid = li_records_offline_then_loses_the_session(context, live_server, device["tag"])
    page = phone.page

    page.locator(".xj-banner-warn").filter(has_text="登录已过期").click()
    phone.log_in("engineer")
    notice = page.locator("[data-testid=others-unsent]")
    assert notice.locator(".xj-warn").inner_text() == NOTICE
    assert notice.locator("[data-testid=receive]").count() == 0  # an engineer cannot receive them
    assert serious_violations(page) == []
    own_uuid = phone.report_fault(device["tag"], "另一个故障 another fault")
    # The engineer's own fault is sent: the same sync would have sent 李工's had it been pushable.
    records = phone.wait_outbox_states({li_uuid: "waiting", own_uuid: "sent"})
    assert records[li_uuid]["made_by"] == {"id": li, "username": "li", "display_name": "李工"}
    assert fault_author(live_server, li_uuid) is None
    assert fault_author(live_server, own_uuid) == user_id(live_server, "engineer")

    phone.open("/outbox")
    assert (
        page.locator(f"[data-uuid='{li_uuid}'] [data-testid=made-by]").inner_text() == "李工 的记录"
    )
    page.locator("[data-testid=sign-in-as]").click()
    phone.log_in("li", prefilled="li")
    phone.wait_outbox_states({li_uuid: "sent", own_uuid: "sent"})
    assert fault_author(live_server, li_uuid) == li
    assert page.locator("[data-testid=others-unsent]").count() == 0


def test_the_other_user_may_sign_out_and_a_supervisor_receives_it_with_both_names(
    context, live_server
):
    li = create_li(live_server)
    device = new_device(live_server)
    phone, li_uuid = li_records_offline_then_loses_the_session(context, live_server, device["tag"])
    page = phone.page

    phone.open("/login")
    phone.log_in("engineer")
    page.locator("[data-testid=others-unsent]").wait_for()
    phone.open("/settings")
    page.get_by_role("button", name="退出登录").click()  # only 李工's records wait: allowed
    page.wait_for_selector("[data-testid=login-form]")
    assert [r["state"] for r in phone.outbox()] == ["waiting"]  # nothing deleted

    phone.log_in("supervisor")
    page.locator("[data-testid=others-unsent] [data-testid=receive]").click()
    phone.wait_outbox_states({li_uuid: "sent"})
    assert fault_author(live_server, li_uuid) == li
    assert count(
        live_server, "select received_by_id from sync_receipt where uuid = :u", u=li_uuid
    ) == user_id(live_server, "supervisor")
