"""Fixtures of the reminders tests: the local receivers and a fault with a known report time."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from server.extensions import db
from server.models.reminders import ReminderChannel, ReminderSubscription
from server.services.faults.lifecycle import create_fault
from tests.server.reminders.receivers import DINGTALK_SECRET, Mailbox, Robots

# A working Wednesday, 09:00 China time (01:00 UTC).
WORKDAY = datetime(2025, 3, 12, 1, 0, tzinfo=UTC)


@pytest.fixture
def robots():
    with Robots() as server:
        yield server


@pytest.fixture
def mailbox():
    with Mailbox() as server:
        yield server


def add_channel(
    kind: str,
    url: str | None = None,
    secret: str | None = None,
    roles=("supervisor",),
    rule=None,
    **fields,
) -> ReminderChannel:
    channel = ReminderChannel(name=f"{kind} group", kind=kind, url=url, secret=secret, **fields)
    db.session.add(channel)
    db.session.flush()
    for role in roles:
        db.session.add(ReminderSubscription(channel_id=channel.id, role=role, rule=rule))
    db.session.commit()
    return channel


@pytest.fixture
def wecom(app, robots):
    return add_channel("wecom", robots.wecom_url())


@pytest.fixture
def dingtalk(app, robots):
    return add_channel("dingtalk", robots.dingtalk_url(), secret=DINGTALK_SECRET)


@pytest.fixture
def fault(reference_data, factory):
    device = factory.device("L09", room=reference_data["rooms"][("520102", "main_conference")])
    row = create_fault(
        tag=device.tag, description="投影仪不亮", user=factory.user("engineer"), reported_at=WORKDAY
    )
    db.session.commit()
    return row
