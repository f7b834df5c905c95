"""Reminders: where messages go (channels), who subscribes to what, each rule's settings, and
every message with each attempt to send it (the delivery log)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from server.models.base import Base, Timestamped, utcnow
from server.models.users import User

CHANNEL_KINDS = ("wecom", "dingtalk", "email")
DELIVERY_STATES = ("queued", "sent", "failed", "dropped")


class ReminderChannel(Timestamped, Base):
    """A destination: a WeCom or DingTalk group robot (webhook), or an SMTP server and its
    recipients. `secret` is the DingTalk signing secret or the SMTP password: kept, never
    answered back in full. A removed channel keeps its row so the log still names it."""

    __tablename__ = "reminder_channel"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(sa.String(64))
    kind: Mapped[str] = mapped_column(sa.String(16))
    url: Mapped[str | None] = mapped_column(sa.String(512))
    secret: Mapped[str | None] = mapped_column(sa.String(256))
    settings: Mapped[dict] = mapped_column(sa.JSON, default=dict)  # SMTP host, port, sender...
    quiet_start: Mapped[str | None] = mapped_column(sa.String(5))  # "22:00", China time
    quiet_end: Mapped[str | None] = mapped_column(sa.String(5))
    enabled: Mapped[bool] = mapped_column(default=True)
    removed_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class ReminderSubscription(Base):
    """One role or one user receives one rule (or every rule: rule NULL) on a channel."""

    __tablename__ = "reminder_subscription"
    __table_args__ = (
        sa.CheckConstraint("(role IS NULL) <> (user_id IS NULL)", name="role_or_user"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_channel.id"), index=True)
    role: Mapped[str | None] = mapped_column(sa.String(16))
    user_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))
    rule: Mapped[str | None] = mapped_column(sa.String(32))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    channel: Mapped[ReminderChannel] = relationship()
    user: Mapped[User | None] = relationship()


class ReminderRuleSetting(Base):
    """An admin's choice for one rule: on or off, and its thresholds (defaults in rules.py)."""

    __tablename__ = "reminder_rule_setting"

    rule: Mapped[str] = mapped_column(sa.String(32), primary_key=True)
    enabled: Mapped[bool] = mapped_column(default=True)
    params: Mapped[dict] = mapped_column(sa.JSON, default=dict)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    updated_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("user.id"))


class ReminderDelivery(Base):
    """One message of one event of one rule to one channel: unique, so a rule evaluated twice
    (a retry, a second worker) queues it once."""

    __tablename__ = "reminder_delivery"
    __table_args__ = (sa.UniqueConstraint("rule", "event_key", "channel_id", name="once"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(sa.String(32), index=True)
    event_key: Mapped[str] = mapped_column(sa.String(128))
    channel_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_channel.id"), index=True)
    title: Mapped[str] = mapped_column(sa.String(128))
    text: Mapped[str] = mapped_column(sa.Text)
    link: Mapped[str | None] = mapped_column(sa.String(512))
    urgent: Mapped[bool] = mapped_column(default=False)  # breaches pass quiet hours
    state: Mapped[str] = mapped_column(sa.String(8), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    claimed_until: Mapped[datetime | None]
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]

    channel: Mapped[ReminderChannel] = relationship()
    tries: Mapped[list[ReminderAttempt]] = relationship(order_by="ReminderAttempt.id")


class ReminderAttempt(Base):
    """One try at sending a delivery: when, how long, and the receiver's answer."""

    __tablename__ = "reminder_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(sa.ForeignKey("reminder_delivery.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    ok: Mapped[bool]
    duration_ms: Mapped[int] = mapped_column(default=0)
    answer: Mapped[str | None] = mapped_column(sa.Text)  # the receiver's reply or the error
