"""The assessment: both scorecards for a period with every point's records; assessment events
(supervisors enter and correct them, the client's auditors read); their evidence files."""

from datetime import timedelta

import marshmallow as ma
from flask_login import current_user
from flask_smorest import Blueprint

from server import periods
from server.api import attachment_io
from server.api.base import QueryArgs, db_id, roles_required
from server.api.out import BINARY
from server.api.schemas_assessment import (
    AssessmentEventListOut,
    AssessmentEventOut,
    AssessmentOut,
    AssessmentStoredOut,
)
from server.errors import Invalid
from server.models import ASSESSMENT_FORMS
from server.security import AUDIT_READERS, MANAGER_ROLES
from server.services.assessment import events as event_service
from server.services.assessment import scorer, view
from server.services.assessment.term import contract_term

blp = Blueprint(
    "assessment", __name__, url_prefix="/assessment", description="The year-end assessment"
)
PERIOD_HELP = "2025, 2025Q4, 2025-12, 2025-01-01..2025-03-31 or term (the default)"
SHA256 = [
    {
        "in": "path",
        "name": "sha256",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
    }
]


class PeriodQuery(QueryArgs):
    period = ma.fields.String(metadata={"description": PERIOD_HELP})
    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day, with to"})
    to = ma.fields.Date(metadata={"description": "last day (inclusive), with from"})


class EventQuery(PeriodQuery):
    history = ma.fields.Boolean(
        load_default=False, metadata={"description": "true: superseded events too"}
    )


class AttachmentIn(ma.Schema):
    sha256 = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9a-f]{64}$"))
    name = ma.fields.String(validate=ma.validate.Length(max=200))


class EventIn(ma.Schema):
    form = ma.fields.String(required=True, validate=ma.validate.OneOf(ASSESSMENT_FORMS))
    item = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    rule = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=48))
    points = ma.fields.Integer(
        validate=ma.validate.Range(min=-1000, max=1000),
        metadata={"description": "default: the rule's points"},
    )
    occurred_on = ma.fields.Date(required=True)
    description = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=4000))
    attachments = ma.fields.List(ma.fields.Nested(AttachmentIn), load_default=list)
    fault_id = db_id(allow_none=True)


class SupersedeIn(ma.Schema):
    description = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=4000),
        metadata={"description": "what happened, and why it is corrected"},
    )
    item = ma.fields.String(validate=ma.validate.Length(min=1, max=32))
    rule = ma.fields.String(validate=ma.validate.Length(min=1, max=48))
    points = ma.fields.Integer(validate=ma.validate.Range(min=-1000, max=1000))
    occurred_on = ma.fields.Date()
    attachments = ma.fields.List(ma.fields.Nested(AttachmentIn))
    fault_id = db_id()
    withdrawn = ma.fields.Boolean(load_default=False)


def span_of(args: dict) -> periods.Span:
    """The period asked for (default: the contract term), inside the term; 422 naming it."""
    term = contract_term()
    given_range = args.get("from_") or args.get("to")
    if args.get("period") and given_range:
        raise Invalid(
            "Give period or from/to, not both.",
            errors={"query": {"period": ["not together with from/to"]}},
        )
    if given_range:
        span = periods.query_span({"from": args.get("from_"), "to": args.get("to")})
        return periods.within_term(span, "from", term=term)
    span = periods.parse_period(args.get("period") or "term", term=term)
    return periods.within_term(span, "period", term=term)


def assess_span(span: periods.Span):
    last = span.after - timedelta(days=1)
    return scorer.assess(span.first, last, label=span.label)


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, AssessmentOut)
def get_assessment(args):
    """Both forms for a period: every line's points with the records behind each point."""
    return view.to_dict(assess_span(span_of(args)))


@blp.route("/events")
@roles_required(*AUDIT_READERS)
@blp.arguments(EventQuery, location="query")
@blp.response(200, AssessmentEventListOut)
def list_events(args):
    """The current events of a period (history=true: the superseded ones too), by day."""
    span = span_of(args)
    last = span.after - timedelta(days=1)
    reader = event_service.all_events if args["history"] else event_service.current_events
    rows = reader(span.first, last)
    newer = event_service.superseding_ids([e.id for e in rows])
    return {"items": [event_service.dump_event(e, newer.get(e.id)) for e in rows]}


@blp.route("/events", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(EventIn)
@blp.response(201, AssessmentEventOut)
def create_event(args):
    """Enter a deduction or bonus with its evidence (upload the files first)."""
    event = event_service.create_event(user=current_user, **args)
    return event_service.dump_event(event), 201


@blp.route("/events/<int:event_id>")
@roles_required(*AUDIT_READERS)
@blp.response(200, AssessmentEventOut)
def get_event(event_id):
    """One event, with what superseded it if anything did."""
    event = event_service.get_event(event_id)
    newer = event_service.superseded_by(event)
    return event_service.dump_event(event, newer.id if newer else None)


@blp.route("/events/<int:event_id>/supersede", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(SupersedeIn)
@blp.response(201, AssessmentEventOut)
def supersede_event(args, event_id):
    """Correct an event: a new event replaces it (withdrawn=true cancels it); it stays as it was."""
    event = event_service.supersede(event_id, current_user, **args)
    return event_service.dump_event(event), 201


@blp.route("/attachments/<sha256>", methods=["PUT"], parameters=SHA256)
@roles_required(*MANAGER_ROLES)
@blp.doc(requestBody=attachment_io.UPLOAD_BODY)
@blp.response(201, AssessmentStoredOut, description="stored")
@blp.alt_response(200, schema=AssessmentStoredOut, success=True, description="already there")
def put_attachment(sha256):
    """Upload an event's evidence: a JPEG, PNG or WebP photo or a PDF, named by its SHA-256."""
    return attachment_io.store_upload(sha256)


@blp.route("/attachments/<sha256>", methods=["GET"], parameters=SHA256)
@roles_required(*AUDIT_READERS)
@blp.response(200, BINARY, content_type="application/octet-stream", description="the file")
def get_attachment(sha256):
    """An event's evidence file, with its type."""
    return attachment_io.file_response(sha256)
