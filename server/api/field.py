"""Visits and inspections as recorded in the field (read-only: they arrive by sync push)."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import PageArgs, db_id, paginate, roles_required
from server.api.out import Computed, Out, Timestamp, enum
from server.api.schemas import page_of
from server.models import TAG_SOURCES
from server.security import ANY_ROLE
from server.services.field import queries as queries
from server.services.presence import flags as presence_flags
from server.services.presence import inspections as presence

blp = Blueprint("field", __name__, url_prefix="", description="Visits and inspections")


class FieldRecordOut(Out):
    id = ma.fields.Integer()
    uuid = ma.fields.String()
    user_id = ma.fields.Integer()
    client_time = Timestamp()
    server_time = Timestamp()
    clock_skew_seconds = ma.fields.Integer()
    clock_warning = Computed(lambda r: abs(r.clock_skew_seconds) > 300, like=ma.fields.Boolean())
    lat = ma.fields.Float(allow_none=True)
    lon = ma.fields.Float(allow_none=True)
    accuracy_m = ma.fields.Float(allow_none=True)
    app_version = ma.fields.String(allow_none=True)


class VisitOut(FieldRecordOut):
    site_id = ma.fields.Integer()
    inspection_kind = ma.fields.String()
    started_at = Timestamp()
    finished_at = Timestamp(allow_none=True)
    plan_entry_id = ma.fields.Integer(allow_none=True)
    summary = ma.fields.String(allow_none=True)


class ResultOut(Out):
    key = ma.fields.String(attribute="item_key")
    outcome = ma.fields.String()
    reason = ma.fields.String(allow_none=True)
    value_text = ma.fields.String(allow_none=True)
    value_number = ma.fields.Float(allow_none=True)
    note = ma.fields.String(allow_none=True)
    photos = ma.fields.List(ma.fields.String())


class PresenceOut(Out):
    flags = ma.fields.List(enum(presence_flags.FLAGS))
    distance_m = ma.fields.Integer(
        allow_none=True, metadata={"description": "from the site's point, when both are known"}
    )
    accuracy_m = ma.fields.Float(allow_none=True)
    position_from = enum(
        ("inspection", "visit"),
        allow_none=True,
        metadata={"description": "whose position was compared: its own, else its visit's"},
    )


class InspectionOut(FieldRecordOut):
    visit_uuid = ma.fields.String(allow_none=True)
    visit_id = ma.fields.Integer(allow_none=True)
    device_id = ma.fields.Integer(allow_none=True)
    tag = ma.fields.String()
    tag_source = enum(
        TAG_SOURCES,
        allow_none=True,
        metadata={"description": "camera, typed or list; null: unknown (an older app)"},
    )
    presence = Computed(
        presence.presence_of,
        like=ma.fields.Nested(PresenceOut),
        metadata={"description": "presence flags (docs/evidence.md), computed when read"},
    )
    template_id = ma.fields.Integer(allow_none=True)
    template_version = ma.fields.Integer(allow_none=True)
    inspection_kind = ma.fields.String()
    outcome = ma.fields.String()
    notes = ma.fields.String(allow_none=True)
    photos = ma.fields.List(ma.fields.String())
    results = ma.fields.List(ma.fields.Nested(ResultOut))
    supersedes = ma.fields.String(attribute="supersedes_uuid", allow_none=True)
    superseded_by = Computed(
        queries.superseded_by,
        like=ma.fields.List(ma.fields.String()),
        metadata={"description": "UUIDs of the corrections of this inspection"},
    )
    supersede_state = ma.fields.String(
        allow_none=True,
        metadata={
            "description": "of a correction: valid (it supersedes), pending (its original has not "
            "arrived), review (it broke the rule; the original still counts)"
        },
    )
    missing_photos = Computed(
        queries.missing_photos,
        like=ma.fields.List(ma.fields.String()),
        metadata={"description": "sha256 of referenced photos not uploaded yet"},
    )


class VisitQuery(PageArgs):
    site = ma.fields.String(metadata={"description": "site code"})
    user_id = db_id()
    date = ma.fields.Date(metadata={"description": "UTC day the visit started"})


class InspectionQuery(PageArgs):
    tag = ma.fields.String()
    site = ma.fields.String(metadata={"description": "site code (through the visit)"})
    visit = ma.fields.UUID(metadata={"description": "visit UUID"})
    date = ma.fields.Date(metadata={"description": "UTC day of the phone's clock time"})
    outcome = ma.fields.String(validate=ma.validate.OneOf(("pass", "fail", "partial")))


@blp.route("/visits")
@roles_required(*ANY_ROLE)
@blp.arguments(VisitQuery, location="query")
@blp.response(200, page_of(VisitOut))
def list_visits(args):
    """Visits, newest first, by site, engineer and day."""
    return paginate(
        queries.visits_query(args.get("site"), args.get("user_id"), args.get("date")),
        args["page"],
        args["per_page"],
    )


@blp.route("/visits/<uuid>")
@roles_required(*ANY_ROLE)
@blp.response(200, VisitOut)
def get_visit(uuid):
    """One visit by its UUID."""
    return queries.get_visit(uuid)


@blp.route("/inspections")
@roles_required(*ANY_ROLE)
@blp.arguments(InspectionQuery, location="query")
@blp.response(200, page_of(InspectionOut))
def list_inspections(args):
    """Inspections by device tag, site, visit, day and outcome; with missing photos and corrections."""
    visit = str(args["visit"]) if args.get("visit") else None
    page = paginate(
        queries.inspections_query(
            args.get("tag"), args.get("site"), visit, args.get("date"), args.get("outcome")
        ),
        args["page"],
        args["per_page"],
    )
    queries.annotate(page["items"])
    return page


@blp.route("/inspections/<uuid>")
@roles_required(*ANY_ROLE)
@blp.response(200, InspectionOut)
def get_inspection(uuid):
    """One inspection by its UUID."""
    return queries.get_inspection(uuid)
