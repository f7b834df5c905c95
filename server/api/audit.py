"""The audit log, for supervisors, admins and the client's auditors."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.api.base import PageArgs, paginate, roles_required
from server.api.out import Out, Timestamp
from server.api.schemas import page_of
from server.models import AuditLog
from server.security import AUDIT_READERS

blp = Blueprint("audit", __name__, url_prefix="/audit", description="Audit log")


class AuditOut(Out):
    id = ma.fields.Integer()
    at = Timestamp()
    actor_id = ma.fields.Integer(allow_none=True)
    actor_label = ma.fields.String()
    channel = ma.fields.String()
    action = ma.fields.String()
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    changes = ma.fields.Dict()


class AuditQuery(PageArgs):
    entity = ma.fields.String()
    entity_id = ma.fields.String()


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, page_of(AuditOut))
def list_audit(args):
    """Newest first, optionally for one entity."""
    query = sa.select(AuditLog).order_by(AuditLog.id.desc())
    for field in ("entity", "entity_id"):
        if field in args:
            query = query.where(getattr(AuditLog, field) == args[field])
    return paginate(query, args["page"], args["per_page"])
