"""The delivery log: each event becomes one delivery per channel that subscribes to it (unique,
so re-evaluating queues nothing twice), held through quiet hours unless urgent, then sent by a
claim-send-record loop that retries with backoff and keeps every attempt."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from server.extensions import db
from server.models.reminders import (
    ReminderAttempt,
    ReminderChannel,
    ReminderDelivery,
    ReminderSubscription,
)
from server.periods import CST
from server.services.reminders import channels
from server.services.reminders.events import Event

# A worker killed mid-send leaves its claim; it expires and the next tick sends the message.
# 20 claimed at once, each send at most channels.TIMEOUT (10 s): a chunk ends well inside it.
CLAIM = timedelta(minutes=10)
CLAIM_CHUNK = 20
MAX_ATTEMPTS = 8
BATCH = 200  # per tick


def _live_channels() -> list[ReminderChannel]:
    return list(
        db.session.scalars(
            sa.select(ReminderChannel).where(
                ReminderChannel.enabled.is_(True), ReminderChannel.removed_at.is_(None)
            )
        )
    )


def _routes() -> dict[int, list[ReminderSubscription]]:
    subs = db.session.scalars(sa.select(ReminderSubscription))
    out: dict[int, list[ReminderSubscription]] = {}
    for sub in subs:
        out.setdefault(sub.channel_id, []).append(sub)
    return out


def _wanted(event: Event, subs: list[ReminderSubscription]) -> bool:
    return any(
        (s.rule is None or s.rule == event.rule)
        and (s.role in event.roles or (s.user_id is not None and s.user_id in event.user_ids))
        for s in subs
    )


def quiet_until(channel: ReminderChannel, now: datetime) -> datetime | None:
    """The end of the channel's quiet hours if `now` falls in them (China time; may span midnight)."""
    if not (channel.quiet_start and channel.quiet_end):
        return None
    local = now.astimezone(CST)
    hhmm = local.strftime("%H:%M")
    start, end = channel.quiet_start, channel.quiet_end
    inside = start <= hhmm < end if start < end else (hhmm >= start or hhmm < end)
    if not inside:
        return None
    hours, minutes = map(int, end.split(":"))
    until = local.replace(hour=hours, minute=minutes, second=0, microsecond=0)
    return until if until > local else until + timedelta(days=1)


def _insert_ignoring_duplicates(rows: list[dict]) -> None:
    dialect = postgresql if db.engine.dialect.name == "postgresql" else sqlite
    statement = dialect.insert(ReminderDelivery).on_conflict_do_nothing(
        index_elements=["rule", "event_key", "channel_id"]
    )
    db.session.execute(statement, rows)


def queue(events: list[Event], now: datetime) -> int:
    """One delivery per (event, subscribing channel); answers how many rows were offered."""
    routes, rows = _routes(), []
    for channel in _live_channels():
        quiet = quiet_until(channel, now)
        for event in events:
            if not _wanted(event, routes.get(channel.id, [])):
                continue
            rows.append(
                {
                    "rule": event.rule,
                    "event_key": event.key,
                    "channel_id": channel.id,
                    "title": event.title[:128],
                    "text": event.text(),
                    "link": event.link(),
                    "urgent": event.urgent,
                    "state": "queued",
                    "attempts": 0,
                    "next_attempt_at": now if event.urgent or quiet is None else quiet,
                    "created_at": now,
                }
            )
    if rows:
        _insert_ignoring_duplicates(rows)
    return len(rows)


def known(rule: str, key: str) -> bool:
    """True once an event was queued on any channel (rules with costly figures ask first)."""
    return bool(
        db.session.scalar(
            sa.select(ReminderDelivery.id)
            .where(ReminderDelivery.rule == rule, ReminderDelivery.event_key == key)
            .limit(1)
        )
    )


def claim_due(now: datetime, limit: int = CLAIM_CHUNK) -> list[int]:
    """Claim up to `limit` due deliveries for this worker and commit the claim before any
    network call. The outer conditions are repeated so that a worker which waited on a row
    another just claimed (PostgreSQL re-checks them on the new row) skips it."""
    free = sa.or_(ReminderDelivery.claimed_until.is_(None), ReminderDelivery.claimed_until < now)
    due = (
        sa.select(ReminderDelivery.id)
        .where(ReminderDelivery.state == "queued", ReminderDelivery.next_attempt_at <= now, free)
        .order_by(ReminderDelivery.urgent.desc(), ReminderDelivery.id)
        .limit(limit)
        .scalar_subquery()
    )
    claimed = db.session.scalars(
        sa.update(ReminderDelivery)
        .where(ReminderDelivery.id.in_(due), ReminderDelivery.state == "queued", free)
        .values(claimed_until=now + CLAIM)
        .returning(ReminderDelivery.id)
    ).all()
    db.session.commit()
    return sorted(claimed)


def attempt(delivery: ReminderDelivery, now: datetime) -> bool:
    """Send once and record the attempt; the delivery's state follows (sent, retry, failed)."""
    channel = delivery.channel
    if channel.removed_at is not None or not channel.enabled:
        delivery.state, delivery.last_error = "dropped", "channel removed or switched off"
        delivery.claimed_until = None
        return False
    began = time.monotonic()
    sender = channels.SENDERS[channel.kind]
    if channel.kind == "email":
        ok, answer = sender(
            channel,
            delivery.title,
            delivery.text,
            delivery.link,
            message_id=f"<reminder-{delivery.id}@xunjian>",
        )
    else:
        ok, answer = sender(channel, delivery.title, delivery.text, delivery.link)
    took = int((time.monotonic() - began) * 1000)
    db.session.add(
        ReminderAttempt(delivery_id=delivery.id, at=now, ok=ok, duration_ms=took, answer=answer)
    )
    delivery.attempts += 1
    delivery.claimed_until = None
    if ok:
        delivery.state, delivery.sent_at, delivery.last_error = "sent", now, None
    elif delivery.attempts >= MAX_ATTEMPTS:
        delivery.state, delivery.last_error = "failed", answer
    else:  # 1, 2, 4 ... minutes, at most an hour
        delivery.last_error = answer
        delivery.next_attempt_at = now + timedelta(minutes=min(60, 2 ** (delivery.attempts - 1)))
    return ok


def _release(delivery: ReminderDelivery) -> None:
    delivery.claimed_until = None  # left for the next tick: its channel failed a moment ago


def send_due(now: datetime) -> dict:
    """Send the due deliveries, claimed a chunk at a time (two workers never send the same
    one); each attempt is committed at once. A channel that fails is not tried again in this
    tick: its other messages wait for the next one rather than each waiting out a timeout."""
    sent = failed = 0
    failing: set[int] = set()
    for _ in range(BATCH // CLAIM_CHUNK):
        ids = claim_due(now)
        for delivery_id in ids:
            delivery = db.session.get(ReminderDelivery, delivery_id)
            if delivery.channel_id in failing:
                _release(delivery)
            elif attempt(delivery, now):
                sent += 1
            else:
                failed += 1
                failing.add(delivery.channel_id)
            db.session.commit()
        if len(ids) < CLAIM_CHUNK:
            break
    return {"sent": sent, "not_sent": failed}
