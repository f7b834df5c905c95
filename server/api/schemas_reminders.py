"""Schemas of the reminder settings and the delivery log."""

import marshmallow as ma

from server.api.base import PageArgs, db_id
from server.api.out import Computed, Out, Timestamp
from server.models.reminders import CHANNEL_KINDS, DELIVERY_STATES
from server.security import ROLES
from server.services.reminders import admin
from server.services.reminders.channels import SMTP_SECURITY
from server.services.reminders.rules import RULES

TIME = ma.validate.Regexp(r"^\d{1,2}:\d{2}$", error="a time of day as HH:MM, e.g. 22:00")


class JsonBoolean(ma.fields.Boolean):
    """true or false only: marshmallow's Boolean also takes 0, 1 and "yes", which the OpenAPI
    schema (type boolean) says are wrong."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class SmtpSettings(ma.Schema):
    host = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=255))
    port = ma.fields.Integer(load_default=587, validate=ma.validate.Range(min=1, max=65535))
    security = ma.fields.String(load_default="starttls", validate=ma.validate.OneOf(SMTP_SECURITY))
    username = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=255))
    sender = ma.fields.Email(required=True)
    recipients = ma.fields.List(
        ma.fields.Email(), required=True, validate=ma.validate.Length(min=1, max=50)
    )
    ca_pem = ma.fields.String(
        # a CA certificate is 1-3 KB of PEM; 10,000 characters fit the 64 KiB body however escaped
        validate=ma.validate.Length(max=10_000),
        metadata={"description": "trust only this CA (PEM), for a mail server with its own CA"},
    )
    ca_file = ma.fields.String(
        validate=ma.validate.Length(max=1024),
        metadata={"description": "trust only the CA in this file on the server"},
    )
    verify = JsonBoolean(
        metadata={"description": "false: do not check the certificate (never the default)"}
    )


class ChannelPatch(ma.Schema):
    """What may change on a channel (its kind stays); a secret left out keeps the stored one."""

    name = ma.fields.String(validate=ma.validate.Length(min=1, max=64))
    url = ma.fields.String(
        validate=ma.validate.Length(max=512), metadata={"description": "webhook"}
    )
    secret = ma.fields.String(
        validate=ma.validate.Length(max=256),
        metadata={"description": "DingTalk signing secret or SMTP password; never answered back"},
    )
    settings = ma.fields.Nested(SmtpSettings, metadata={"description": "e-mail channels only"})
    quiet_start = ma.fields.String(allow_none=True, validate=TIME)
    quiet_end = ma.fields.String(allow_none=True, validate=TIME)
    enabled = JsonBoolean()


class ChannelIn(ChannelPatch):
    name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    kind = ma.fields.String(required=True, validate=ma.validate.OneOf(CHANNEL_KINDS))
    enabled = JsonBoolean(load_default=True)


class ChannelOut(Out):
    id = ma.fields.Integer()
    name = ma.fields.String()
    kind = ma.fields.String()
    url = ma.fields.String(allow_none=True)
    secret = Computed(lambda c: admin.masked(c.secret), like=ma.fields.String(allow_none=True))
    settings = ma.fields.Dict()
    quiet_start = ma.fields.String(allow_none=True)
    quiet_end = ma.fields.String(allow_none=True)
    enabled = JsonBoolean()
    created_at = Timestamp()


class SubscriptionIn(ma.Schema):
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    user_id = db_id()
    rule = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(list(RULES)),
        metadata={"description": "one rule; omit for every rule"},
    )


class SubscriptionOut(Out):
    id = ma.fields.Integer()
    channel_id = ma.fields.Integer()
    role = ma.fields.String(allow_none=True)
    user_id = ma.fields.Integer(allow_none=True)
    rule = ma.fields.String(allow_none=True)
    created_at = Timestamp()


class ParamOut(Out):
    name = ma.fields.String()
    kind = ma.fields.String()
    default = ma.fields.Raw()
    value = ma.fields.Raw()


class RuleOut(Out):
    name = ma.fields.String()
    enabled = JsonBoolean()
    audience = ma.fields.List(ma.fields.String())
    params = ma.fields.List(ma.fields.Nested(ParamOut))


class RulePatch(ma.Schema):
    enabled = JsonBoolean()
    params = ma.fields.Dict(keys=ma.fields.String(), values=ma.fields.Raw())


class AttemptOut(Out):
    at = Timestamp()
    ok = JsonBoolean()
    duration_ms = ma.fields.Integer()
    answer = ma.fields.String(allow_none=True)


class DeliveryOut(Out):
    id = ma.fields.Integer()
    rule = ma.fields.String()
    event_key = ma.fields.String()
    channel_id = ma.fields.Integer()
    channel_name = Computed(lambda d: d.channel.name, like=ma.fields.String())
    title = ma.fields.String()
    text = ma.fields.String()
    link = ma.fields.String(allow_none=True)
    urgent = JsonBoolean()
    state = ma.fields.String()
    attempts = ma.fields.Integer()
    next_attempt_at = Timestamp()
    last_error = ma.fields.String(allow_none=True)
    created_at = Timestamp()
    sent_at = Timestamp(allow_none=True)
    tries = ma.fields.List(ma.fields.Nested(AttemptOut), metadata={"description": "every attempt"})


class DeliveryQuery(PageArgs):
    state = ma.fields.String(validate=ma.validate.OneOf(DELIVERY_STATES))
    rule = ma.fields.String(validate=ma.validate.OneOf([*RULES, "test"]))
    channel_id = db_id()
