"""An admin's settings of reminders: channels (checked, secrets kept but never answered in
full), who subscribes to which rule on each, and each rule's on/off and thresholds."""

from __future__ import annotations

import ssl

import sqlalchemy as sa

from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import User, utcnow
from server.models.reminders import ReminderChannel, ReminderRuleSetting, ReminderSubscription
from server.security import ON_DUTY, ROLES
from server.services.reminders import channels, rules
from server.services.reminders.events import check_time, checked_params


def masked(secret: str | None) -> str | None:
    """Enough of a secret to recognise it, never enough to use it."""
    if not secret:
        return None
    return "•" * 6 + secret[-3:] if len(secret) > 8 else "•" * 6


def _refuse(field: str, message: str, code: str) -> Invalid:
    return Invalid(message, errors={"json": {field: [message]}}, code_name=code)


def _check_email(settings: dict) -> dict:
    if not settings.get("host"):
        raise _refuse("settings", "An e-mail channel needs the SMTP host.", "smtp_incomplete")
    if not settings.get("sender") or not settings.get("recipients"):
        raise _refuse("settings", "Give the sender and at least one recipient.", "smtp_incomplete")
    if settings.get("security", "starttls") not in channels.SMTP_SECURITY:
        raise _refuse("settings", "security is starttls, ssl or none.", "smtp_incomplete")
    _check_tls(settings)
    bad = [a for a in [settings["sender"], *settings["recipients"]] if "@" not in str(a)]
    if bad:
        raise _refuse(
            "settings", f"Not e-mail addresses: {', '.join(map(str, bad))}.", "smtp_address"
        )
    return settings


def _check_tls(settings: dict) -> None:
    """A CA the admin gives must load; verify is a boolean (false only when asked for)."""
    if not isinstance(settings.get("verify", True), bool):
        raise _refuse("settings", "verify is true or false.", "smtp_tls")
    try:
        channels.tls_context(settings)
    except (OSError, ValueError, ssl.SSLError) as exc:
        raise _refuse("settings", f"The CA certificate does not load: {exc}", "smtp_tls") from None


def _check_quiet(start, end) -> tuple[str | None, str | None]:
    if (start is None) != (end is None):
        raise _refuse(
            "quiet_end", "Give both ends of the quiet hours, or neither.", "quiet_incomplete"
        )
    if start is None:
        return None, None
    try:
        return check_time(start), check_time(end)
    except ValueError as exc:
        raise _refuse("quiet_start", str(exc), "quiet_incomplete") from None


def get_channel(channel_id: int) -> ReminderChannel:
    channel = db.session.get(ReminderChannel, channel_id)
    if channel is None or channel.removed_at is not None:
        raise NotFound(f"There is no reminder channel {channel_id}.")
    return channel


def save_channel(channel: ReminderChannel | None, user: User, **fields) -> ReminderChannel:
    """Create (channel None) or change a channel; a secret left out keeps the stored one. A new
    channel starts with the engineers and supervisors subscribed to every rule (what a duty
    group wants; the page lets the admin narrow it), so a first test is not met by silence."""
    new = channel is None
    channel = channel or ReminderChannel(kind=fields["kind"], created_by_id=user.id)
    for key in ("name", "url", "enabled"):
        if key in fields:
            setattr(channel, key, fields[key])
    if fields.get("secret"):
        channel.secret = fields["secret"]
    if "settings" in fields:
        channel.settings = fields["settings"] or {}
    if "quiet_start" in fields or "quiet_end" in fields:
        channel.quiet_start, channel.quiet_end = _check_quiet(
            fields.get("quiet_start", channel.quiet_start),
            fields.get("quiet_end", channel.quiet_end),
        )
    if channel.kind == "email":
        channel.settings = _check_email(channel.settings or {})
        channel.url = None
    else:
        channel.url = channels.check_url(channel.url)
    db.session.add(channel)
    db.session.flush()
    if new:
        for role in ON_DUTY:
            db.session.add(ReminderSubscription(channel_id=channel.id, role=role))
        db.session.flush()
    return channel


def remove_channel(channel: ReminderChannel) -> None:
    """Removed, not deleted: its queued messages are dropped with the reason in the log."""
    channel.removed_at = utcnow()
    channel.enabled = False
    db.session.flush()


def add_subscription(channel: ReminderChannel, role=None, user_id=None, rule=None):
    if (role is None) == (user_id is None):
        raise _refuse("role", "Subscribe either a role or one user.", "subscription_target")
    if role is not None and role not in ROLES:
        raise _refuse("role", f"Unknown role {role}.", "subscription_target")
    if user_id is not None and db.session.get(User, user_id) is None:
        raise _refuse("user_id", f"There is no user {user_id}.", "subscription_target")
    if rule is not None:
        rules.get_rule(rule)
    sub = ReminderSubscription(channel_id=channel.id, role=role, user_id=user_id, rule=rule)
    db.session.add(sub)
    db.session.flush()
    return sub


def remove_subscription(channel: ReminderChannel, subscription_id: int) -> None:
    sub = db.session.get(ReminderSubscription, subscription_id)
    if sub is None or sub.channel_id != channel.id:
        raise NotFound(f"Channel {channel.id} has no subscription {subscription_id}.")
    db.session.delete(sub)
    db.session.flush()


def subscriptions(channel: ReminderChannel) -> list[ReminderSubscription]:
    query = sa.select(ReminderSubscription).where(ReminderSubscription.channel_id == channel.id)
    return list(db.session.scalars(query.order_by(ReminderSubscription.id)))


def save_rule(name: str, user: User, enabled: bool | None = None, params: dict | None = None):
    rule = rules.get_rule(name)
    row = db.session.get(ReminderRuleSetting, name) or ReminderRuleSetting(
        rule=name, enabled=rule.default_enabled, params={}
    )
    if enabled is not None:
        row.enabled = enabled
    if params is not None:
        row.params = checked_params(rule, params)
    row.updated_by_id = user.id
    db.session.add(row)
    db.session.flush()
    return row
