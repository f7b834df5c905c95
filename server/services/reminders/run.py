"""One scheduler tick (every minute on the task queue): evaluate the enabled rules, queue what
is new, send what is due. Also an admin's test send to one channel."""

from __future__ import annotations

import logging
from datetime import datetime
from uuid import uuid4

from server.extensions import db
from server.models import utcnow
from server.models.reminders import ReminderChannel, ReminderDelivery
from server.services.reminders import outbox, rules

log = logging.getLogger(__name__)


def current_time() -> datetime:
    """The one place reminders read the clock (tests replace it to freeze time)."""
    return utcnow()


def tick(now: datetime | None = None) -> dict:
    """Evaluate, queue (committed before any send) and send; the figures of the run."""
    now = now or current_time()
    events = rules.evaluate(now, outbox.known)
    offered = outbox.queue(events, now)
    db.session.commit()
    result = {"events": len(events), "offered": offered, **outbox.send_due(now)}
    log.info("reminders tick: %s", result)
    return result


def periodic() -> None:
    """The task queue's entry (server/tasks/registry.py)."""
    tick()


def test_send(channel: ReminderChannel, user) -> ReminderDelivery:
    """Send a test message to the channel now; it is kept in the delivery log like any other."""
    now = current_time()
    delivery = ReminderDelivery(
        rule="test",
        event_key=f"test:{uuid4()}",
        channel=channel,
        title="巡检提醒测试",
        text=f"这是一条测试消息，由 {user.display_name or user.username} 发送。收到即表示通道可用。",
        link=None,
        urgent=True,
        next_attempt_at=now,
        created_at=now,
        attempts=0,
        state="queued",
    )
    db.session.add(delivery)
    db.session.flush()
    outbox.attempt(delivery, now)
    db.session.flush()
    return delivery
