"""The audit log, for supervisors, admins and the client's auditors: filtered and paged."""

from datetime import timedelta

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server import periods
from server.api.base import PageArgs, db_id, paginate, roles_required
from server.api.out import Out, Timestamp, enum
from server.api.schemas import page_of
from server.models import AuditLog
from server.security import AUDIT_READERS

blp = Blueprint("audit", __name__, url_prefix="/audit", description="Audit log")

CHANNELS = ("api", "cli")
ACTIONS = ("create", "update", "delete")


class AuditOut(Out):
    id = ma.fields.Integer()
    at = Timestamp()
    actor_id = ma.fields.Integer(allow_none=True)
    actor_label = ma.fields.String()
    channel = enum(CHANNELS)
    action = enum(ACTIONS)
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    changes = ma.fields.Dict(
        metadata={"description": "create/delete: column → value; update: column → [old, new]"}
    )


class AuditQuery(PageArgs):
    entity = ma.fields.String(validate=ma.validate.Length(max=32))
    entity_id = ma.fields.String(validate=ma.validate.Length(max=64))
    actor = ma.fields.String(
        validate=ma.validate.Length(max=64), metadata={"description": "who: a username"}
    )
    actor_id = db_id(metadata={"description": "who: a user id"})
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    action = ma.fields.String(validate=ma.validate.OneOf(ACTIONS))
    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day (China time)"})
    to = ma.fields.Date(metadata={"description": "last day, inclusive (China time)"})

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError("The last day comes before the first.", "to")


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, page_of(AuditOut))
def list_audit(args):
    """Newest first; filter by entity, entity id, who (username or id), channel, action, days."""
    query = sa.select(AuditLog).order_by(AuditLog.id.desc())
    for field in ("entity", "entity_id", "actor_id", "channel", "action"):
        if field in args:
            query = query.where(getattr(AuditLog, field) == args[field])
    if "actor" in args:
        query = query.where(AuditLog.actor_label == args["actor"])
    if args.get("from_"):
        query = query.where(AuditLog.at >= periods.day_start(args["from_"]))
    if args.get("to"):
        query = query.where(AuditLog.at < periods.day_start(args["to"] + timedelta(days=1)))
    return paginate(query, args["page"], args["per_page"])
