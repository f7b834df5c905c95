"""Deliveries against real local receivers: each event reaches each subscribing channel once
however often the scheduler runs; WeCom, DingTalk (signed) and e-mail payloads are accepted by
receivers that check them; failures are retried with backoff and every attempt is logged;
quiet hours hold all but breaches; a removed channel's queue is dropped, not crashed on."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models.reminders import ReminderAttempt, ReminderDelivery
from server.services.reminders import outbox, run
from server.services.reminders.events import Event
from tests.server.reminders.conftest import WORKDAY, add_channel


def _deliveries():
    return list(db.session.scalars(sa.select(ReminderDelivery).order_by(ReminderDelivery.id)))


def test_a_warning_reaches_wecom_once_across_ticks_and_workers(fault, wecom, robots):
    at = WORKDAY + timedelta(minutes=5, seconds=30)
    first = run.tick(at)
    assert first["sent"] == 1, first
    run.tick(at + timedelta(seconds=20))  # the scheduler again, or a second worker
    run.tick(at + timedelta(seconds=40))
    assert len(robots.messages) == 1
    robot, body = robots.messages[0]
    content = body["markdown"]["content"]
    assert robot == "wecom" and f"故障 #{fault.id}" in content and "响应" in content
    assert f"https://xj.example.cn/faults?fault={fault.id}" in content
    [delivery] = _deliveries()
    assert (delivery.state, delivery.attempts) == ("sent", 1)


def test_dingtalk_is_signed_and_a_wrong_secret_is_logged_with_the_receivers_answer(fault, robots):
    good = add_channel("dingtalk", robots.dingtalk_url(), secret="SECtest-secret-0001")
    bad = add_channel("dingtalk", robots.dingtalk_url(), secret="SECwrong")
    run.tick(WORKDAY + timedelta(minutes=6))
    states = {d.channel_id: d for d in _deliveries()}
    assert states[good.id].state == "sent" and [r for r, _ in robots.messages] == ["dingtalk"]
    failed = states[bad.id]
    assert failed.state == "queued" and failed.attempts == 1  # retried later, not dropped
    assert "sign not match" in failed.last_error
    attempts = db.session.scalars(
        sa.select(ReminderAttempt).where(ReminderAttempt.delivery_id == failed.id)
    ).all()
    assert [(a.ok, "310000" in a.answer) for a in attempts] == [(False, True)]
    assert failed.next_attempt_at > WORKDAY + timedelta(minutes=6)


def test_e_mail_arrives_in_chinese_with_a_stable_message_id(fault, mailbox):
    settings = {
        "host": "127.0.0.1",
        "port": mailbox.port,
        "security": "none",
        "sender": "xunjian@example.cn",
        "recipients": ["duty@example.cn"],
    }
    add_channel("email", settings=settings)
    run.tick(WORKDAY + timedelta(minutes=6))
    [message] = mailbox.messages
    assert "故障" in message["Subject"] and message["To"] == "duty@example.cn"
    assert message["Message-ID"].startswith("<reminder-")
    assert "投影仪不亮" in message.get_content()


def test_a_refusing_smtp_server_is_retried_and_logged(fault, mailbox):
    settings = {
        "host": "127.0.0.1",
        "port": mailbox.port,
        "security": "none",
        "sender": "xunjian@example.cn",
        "recipients": ["duty@example.cn"],
    }
    add_channel("email", settings=settings)
    mailbox.refuse = True
    at = WORKDAY + timedelta(minutes=6)
    run.tick(at)
    [delivery] = _deliveries()
    assert delivery.state == "queued" and "550" in delivery.last_error
    mailbox.refuse = False
    run.tick(at + timedelta(seconds=30))  # before the backoff: not yet
    assert mailbox.messages == []
    run.tick(delivery.next_attempt_at)
    assert len(mailbox.messages) == 1 and _deliveries()[0].state == "sent"


def test_a_robot_that_is_down_backs_off_then_fails_after_the_last_attempt(wecom, robots):
    robots.fail_next = outbox.MAX_ATTEMPTS
    at = WORKDAY + timedelta(minutes=6)
    event = Event("spare_low", "spare:L09", "备件不足", ("x",), "/faults", roles=("supervisor",))
    outbox.queue([event], at)
    db.session.commit()
    gaps = []
    for _ in range(outbox.MAX_ATTEMPTS):
        outbox.send_due(at)
        delivery = _deliveries()[0]
        gaps.append(delivery.next_attempt_at - at)
        at = delivery.next_attempt_at
    assert delivery.state == "failed" and delivery.attempts == outbox.MAX_ATTEMPTS
    assert gaps[:4] == [timedelta(minutes=m) for m in (1, 2, 4, 8)]
    assert robots.messages == []


def test_quiet_hours_hold_a_warning_but_not_a_breach(fault, robots):
    add_channel("wecom", robots.wecom_url(), quiet_start="08:00", quiet_end="09:30")
    run.tick(WORKDAY + timedelta(minutes=6))  # 09:06: quiet
    assert robots.messages == []
    run.tick(WORKDAY + timedelta(minutes=11))  # the breach goes through at once
    assert [b["markdown"]["content"].count("已超出") for _, b in robots.messages] == [1]
    run.tick(WORKDAY + timedelta(minutes=30))  # 09:30: the held warning follows
    assert len(robots.messages) == 2


def test_only_subscribed_roles_and_rules_are_routed(fault, robots):
    add_channel("wecom", robots.wecom_url(), roles=("viewer",))
    add_channel("wecom", robots.wecom_url(), roles=("supervisor",), rule="spare_low")
    run.tick(WORKDAY + timedelta(minutes=6))
    assert _deliveries() == [] and robots.messages == []


def test_a_claimed_delivery_is_not_sent_by_a_second_worker_until_its_claim_expires(wecom, robots):
    at = WORKDAY + timedelta(minutes=6)
    event = Event("fault_clock_warning", "k1", "t", ("x",), "/faults", roles=("supervisor",))
    outbox.queue([event], at)
    db.session.commit()
    [delivery] = _deliveries()
    assert outbox.claim_due(at) == [delivery.id]  # a worker claims, then is killed before sending
    assert outbox.claim_due(at) == []  # a second worker finds nothing to claim
    assert outbox.send_due(at + timedelta(seconds=30)) == {"sent": 0, "not_sent": 0}
    assert robots.messages == []
    later = at + outbox.CLAIM + timedelta(seconds=1)
    assert outbox.send_due(later) == {"sent": 1, "not_sent": 0}
    assert len(robots.messages) == 1


def test_a_removed_channel_drops_its_queue_with_the_reason(fault, wecom, robots):
    from server.services.reminders import admin

    at = WORKDAY + timedelta(minutes=6)
    outbox.queue(run.rules.evaluate(at, outbox.known), at)
    db.session.commit()
    admin.remove_channel(wecom)
    db.session.commit()
    outbox.send_due(at)
    [delivery] = _deliveries()
    assert delivery.state == "dropped" and "removed" in delivery.last_error
    assert robots.messages == []


def test_a_channel_that_fails_is_not_tried_again_in_the_same_tick(wecom, robots):
    at = WORKDAY + timedelta(minutes=6)
    events = [
        Event("spare_low", f"spare:{n}", "备件不足", ("x",), "/faults", roles=("supervisor",))
        for n in range(3)
    ]
    outbox.queue(events, at)
    db.session.commit()
    robots.fail_next = 1
    assert outbox.send_due(at) == {"sent": 0, "not_sent": 1}
    attempts = [d.attempts for d in _deliveries()]
    assert attempts == [1, 0, 0]  # the other two wait for the next tick, unclaimed
    assert all(d.claimed_until is None for d in _deliveries())
    assert outbox.send_due(at + timedelta(minutes=1)) == {"sent": 3, "not_sent": 0}
