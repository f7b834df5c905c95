"""Checklist templates per device kind and inspection kind."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint
from sqlalchemy.orm import selectinload

from server.api.base import QueryArgs, roles_required
from server.api.out import Out
from server.errors import NotFound
from server.extensions import db
from server.models import DEVICE_KINDS, INSPECTION_KINDS, ChecklistTemplate
from server.security import ANY_ROLE

blp = Blueprint("checklists", __name__, url_prefix="/checklists", description="Checklists")


class ItemOut(Out):
    key = ma.fields.String()
    position = ma.fields.Integer()
    section = ma.fields.String()
    label_zh = ma.fields.String()
    label_en = ma.fields.String()
    type = ma.fields.String()
    unit = ma.fields.String(allow_none=True)
    min_value = ma.fields.Float(allow_none=True)
    max_value = ma.fields.Float(allow_none=True)
    photo_required = ma.fields.Boolean()
    required = ma.fields.Boolean()


class TemplateOut(Out):
    id = ma.fields.Integer()
    key = ma.fields.String()
    version = ma.fields.Integer()
    device_kind = ma.fields.String()
    inspection_kind = ma.fields.String()
    name_zh = ma.fields.String()
    name_en = ma.fields.String()
    active = ma.fields.Boolean()
    items = ma.fields.List(ma.fields.Nested(ItemOut))


class TemplateQuery(QueryArgs):
    device_kind = ma.fields.String(validate=ma.validate.OneOf(DEVICE_KINDS))
    inspection_kind = ma.fields.String(validate=ma.validate.OneOf(INSPECTION_KINDS))
    all_versions = ma.fields.Boolean(load_default=False)


@blp.route("")
@roles_required(*ANY_ROLE)
@blp.arguments(TemplateQuery, location="query")
@blp.response(200, TemplateOut(many=True))
def list_templates(args):
    """Active templates (or every version), by device kind and inspection kind."""
    query = (
        sa.select(ChecklistTemplate)
        .options(selectinload(ChecklistTemplate.items))
        .order_by(ChecklistTemplate.key, ChecklistTemplate.version)
    )
    if not args["all_versions"]:
        query = query.where(ChecklistTemplate.active.is_(True))
    for field in ("device_kind", "inspection_kind"):
        if field in args:
            query = query.where(getattr(ChecklistTemplate, field) == args[field])
    return db.session.scalars(query).all()


@blp.route("/<int:template_id>")
@roles_required(*ANY_ROLE)
@blp.response(200, TemplateOut)
def get_template(template_id):
    """One template version with its items."""
    template = db.session.get(ChecklistTemplate, template_id)
    if template is None:
        raise NotFound(f"No checklist template {template_id}.")
    return template
