"""The fault desk's additions: comments with evidence files (photos, PDFs), and escalation."""

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server.api import attachment_io
from server.api.base import roles_required
from server.api.faults import fault_view
from server.api.out import BINARY
from server.api.photos import SHA256
from server.api.schemas_faults import FaultCommentOut, FaultDetail, FaultStoredOut
from server.models import FAULT_LEVELS, FAULT_TIERS
from server.security import ANY_ROLE, FIELD_ROLES, MANAGER_ROLES
from server.services.faults import comments, escalation
from server.services.faults import lifecycle as fault_service

blp = Blueprint(
    "fault_desk", __name__, url_prefix="/faults", description="Fault comments and escalation"
)


class FaultFileIn(ma.Schema):
    sha256 = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9a-f]{64}$"))
    name = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=200))


class FaultCommentIn(ma.Schema):
    text = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=4000))
    attachments = ma.fields.List(
        ma.fields.Nested(FaultFileIn),
        load_default=list,
        validate=ma.validate.Length(max=comments.MAX_ATTACHMENTS),
        metadata={"description": "files uploaded first with PUT /faults/attachments/<sha256>"},
    )


class FaultEscalateIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    level = ma.fields.Integer(
        allow_none=True,
        validate=ma.validate.OneOf(FAULT_LEVELS),
        metadata={"description": "the new level, more urgent than now (1 is the most urgent)"},
    )
    tier = ma.fields.String(
        allow_none=True,
        validate=ma.validate.OneOf(FAULT_TIERS),
        metadata={"description": "the tier it is handed to, later than now"},
    )


@blp.route("/<int:fault_id>/comments", methods=["POST"])
@roles_required(*FIELD_ROLES)
@blp.arguments(FaultCommentIn)
@blp.response(201, FaultCommentOut)
def add_comment(args, fault_id):
    """Comment on a fault: text and/or files (photos, PDFs) uploaded before; a record of its own."""
    fault = fault_service.get_fault(fault_id)
    row = comments.add_comment(fault, current_user, args.get("text"), args["attachments"])
    return comments.dump_comment(row), 201


@blp.route("/<int:fault_id>/escalate", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(FaultEscalateIn)
@blp.response(200, FaultDetail)
def escalate_fault(args, fault_id):
    """Raise the fault's level and/or hand it to a later tier, with a reason (an `escalated` step)."""
    fault = fault_service.get_fault(fault_id)
    escalation.escalate(
        fault, current_user, args["reason"], level=args.get("level"), tier=args.get("tier")
    )
    return fault_view(fault, with_steps=True)


@blp.route("/attachments/<sha256>", methods=["PUT"], parameters=SHA256)
@roles_required(*FIELD_ROLES)
@blp.doc(requestBody=attachment_io.UPLOAD_BODY)
@blp.response(201, FaultStoredOut, description="stored")
@blp.alt_response(200, schema=FaultStoredOut, success=True, description="already there")
def put_attachment(sha256):
    """Upload a comment's file: a JPEG, PNG or WebP photo or a PDF, named by its SHA-256."""
    return attachment_io.store_upload(sha256)


@blp.route("/attachments/<sha256>", methods=["GET"], parameters=SHA256)
@roles_required(*ANY_ROLE)
@blp.response(200, BINARY, content_type="application/octet-stream", description="the file")
def get_attachment(sha256):
    """A comment's file, with its type."""
    return attachment_io.file_response(sha256)
