"""Reminders for admins: the rules (on/off, thresholds), the channels (WeCom, DingTalk,
e-mail) with their subscriptions and a test send, and the delivery log."""

import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import paginate, roles_required
from server.api.schemas import page_of
from server.api.schemas_reminders import (
    ChannelIn,
    ChannelOut,
    ChannelPatch,
    DeliveryOut,
    DeliveryQuery,
    RuleOut,
    RulePatch,
    SubscriptionIn,
    SubscriptionOut,
)
from server.extensions import db
from server.models.reminders import ReminderChannel, ReminderDelivery
from server.security import ADMIN_ROLES
from server.services.reminders import admin, rules, run

blp = Blueprint("reminders", __name__, url_prefix="/reminders", description="Reminders")


def _rule_out(name: str) -> dict:
    rule = rules.RULES[name]
    enabled, params = rules.settings()[name]
    return {
        "name": name,
        "enabled": enabled,
        "audience": list(rule.audience),
        "params": [
            {"name": p.name, "kind": p.kind, "default": p.default, "value": params[p.name]}
            for p in rule.params
        ],
    }


@blp.route("/rules")
@roles_required(*ADMIN_ROLES)
@blp.response(200, RuleOut(many=True))
def list_rules():
    """Every rule with its state, audience and thresholds (defaults and current values)."""
    return [_rule_out(name) for name in rules.RULES]


@blp.route("/rules/<name>", methods=["PATCH"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(RulePatch)
@blp.response(200, RuleOut)
def update_rule(args, name):
    """Switch a rule on or off, or change its thresholds (unknown or bad values: 422)."""
    admin.save_rule(name, current_user, **args)
    return _rule_out(name)


@blp.route("/channels")
@roles_required(*ADMIN_ROLES)
@blp.response(200, ChannelOut(many=True))
def list_channels():
    """The channels in use; secrets masked."""
    query = sa.select(ReminderChannel).where(ReminderChannel.removed_at.is_(None))
    return list(db.session.scalars(query.order_by(ReminderChannel.id)))


@blp.route("/channels", methods=["POST"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(ChannelIn)
@blp.response(201, ChannelOut)
def create_channel(args):
    """Add a channel: a webhook (https) or an SMTP server with its recipients."""
    return admin.save_channel(None, current_user, **args)


@blp.route("/channels/<int:channel_id>", methods=["PATCH"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(ChannelPatch)
@blp.response(200, ChannelOut)
def update_channel(args, channel_id):
    """Change a channel; a secret left out keeps the stored one."""
    return admin.save_channel(admin.get_channel(channel_id), current_user, **args)


@blp.route("/channels/<int:channel_id>", methods=["DELETE"])
@roles_required(*ADMIN_ROLES)
@blp.response(204)
def remove_channel(channel_id):
    """Remove a channel; its queued messages are dropped, its log kept."""
    admin.remove_channel(admin.get_channel(channel_id))


@blp.route("/channels/<int:channel_id>/test", methods=["POST"])
@roles_required(*ADMIN_ROLES)
@blp.response(200, DeliveryOut)
def test_channel(channel_id):
    """Send a test message now and answer its delivery (with the receiver's reply)."""
    return run.test_send(admin.get_channel(channel_id), current_user)


@blp.route("/channels/<int:channel_id>/subscriptions")
@roles_required(*ADMIN_ROLES)
@blp.response(200, SubscriptionOut(many=True))
def list_subscriptions(channel_id):
    """Who receives which rule on the channel."""
    return admin.subscriptions(admin.get_channel(channel_id))


@blp.route("/channels/<int:channel_id>/subscriptions", methods=["POST"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(SubscriptionIn)
@blp.response(201, SubscriptionOut)
def add_subscription(args, channel_id):
    """Subscribe a role or one user to a rule (or every rule) on the channel."""
    return admin.add_subscription(admin.get_channel(channel_id), **args)


@blp.route("/channels/<int:channel_id>/subscriptions/<int:subscription_id>", methods=["DELETE"])
@roles_required(*ADMIN_ROLES)
@blp.response(204)
def remove_subscription(channel_id, subscription_id):
    """End a subscription."""
    admin.remove_subscription(admin.get_channel(channel_id), subscription_id)


@blp.route("/deliveries")
@roles_required(*ADMIN_ROLES)
@blp.arguments(DeliveryQuery, location="query")
@blp.response(200, page_of(DeliveryOut))
def list_deliveries(args):
    """The delivery log, newest first, with every attempt and the receiver's answer."""
    page, per_page = args.pop("page"), args.pop("per_page")
    query = sa.select(ReminderDelivery).order_by(ReminderDelivery.id.desc())
    for key, value in args.items():
        query = query.where(getattr(ReminderDelivery, key) == value)
    return paginate(query, page, per_page)
