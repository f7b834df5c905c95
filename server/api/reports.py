"""Reports as documents: the list of kinds, a report as PDF or HTML preview, its assets, and
the recommendations typed into it (docs/reports.md)."""

import marshmallow as ma
from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import QueryArgs, roles_required
from server.api.out import BINARY
from server.api.schemas_reports import ReportKindOut, ReportNoteOut
from server.errors import NotFound
from server.security import ANY_ROLE, AUDIT_READERS, FIELD_ROLES
from server.services.reports import notes, registry, render

blp = Blueprint("reports", __name__, url_prefix="/reports", description="Reports as documents")
PERIOD_HELP = "2025-12 (monthly reports), 2025Q4 (quarterly), also 2025 or 2025-01-01..2025-12-31 (assessment)"
MEETING_HELP = (
    "a meeting's id: the per-meeting reports (period_kind meeting) take it instead of period"
)
# The preview is framed by the reports page (same origin) and loads only its own stylesheet
# and font; photos are embedded as data: URLs. It runs no script at all.
PREVIEW_POLICY = (
    "default-src 'none'; style-src 'self'; font-src 'self'; img-src data:; "
    "frame-ancestors 'self'; base-uri 'none'; form-action 'none'"
)


def _period_field():
    """Required, but checked by server/periods.py (one message naming the forms it takes)."""
    return ma.fields.String(load_default=None, metadata={"description": PERIOD_HELP + "; required"})


def _meeting_field():
    return ma.fields.Integer(
        load_default=None,
        validate=ma.validate.Range(min=1, max=2**31 - 1),
        metadata={"description": MEETING_HELP},
    )


class ReportQuery(QueryArgs):
    period = _period_field()
    meeting = _meeting_field()
    format = ma.fields.String(
        load_default="pdf",
        validate=ma.validate.OneOf(("pdf", "html")),
        metadata={"description": "pdf (default, a download) or html (the browser preview)"},
    )


class PeriodQuery(QueryArgs):
    period = _period_field()


class PreviewQuery(QueryArgs):
    period = _period_field()
    meeting = _meeting_field()


class NoteIn(ma.Schema):
    period = ma.fields.String(required=True, metadata={"description": PERIOD_HELP})
    text = ma.fields.String(required=True, validate=ma.validate.Length(max=notes.MAX_TEXT))


def _document_doc():
    content = {"application/pdf": {"schema": BINARY}, "text/html": {"schema": BINARY}}
    return blp.doc(responses={"200": {"description": "the report", "content": content}})


def _html_answer(html: str) -> Response:
    response = Response(html, mimetype="text/html")
    response.headers["Content-Security-Policy"] = PREVIEW_POLICY
    response.headers["X-Frame-Options"] = "SAMEORIGIN"
    response.headers["Cache-Control"] = "no-store"
    return response


def _pdf_answer(kind: str, period: str, meeting: int | None) -> Response:
    pdf = registry.render_report(kind, period, meeting=meeting)
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = registry.content_disposition(
        kind, period, meeting=meeting
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.response(200, ReportKindOut(many=True))
def list_reports():
    """Every report kind with its period kind and whether it can be made yet."""
    return registry.listing()


@blp.route("/<kind>")
@roles_required(*AUDIT_READERS)
@blp.arguments(ReportQuery, location="query")
@_document_doc()
def get_report(args, kind):
    """A report for a period (or a meeting): the PDF (Chinese file name) or, with format=html,
    its preview."""
    if args["format"] == "html":
        return _html_answer(registry.report_html(kind, args["period"], meeting=args["meeting"]))
    return _pdf_answer(kind, args["period"], args["meeting"])


@blp.route("/<kind>.html")
@roles_required(*AUDIT_READERS)
@blp.arguments(PreviewQuery, location="query")
@_document_doc()
def preview_report(args, kind):
    """The report as an HTML page (what the reports page shows in its frame)."""
    return _html_answer(registry.report_html(kind, args["period"], meeting=args["meeting"]))


@blp.route("/assets/<name>")
@roles_required(*ANY_ROLE)
@blp.doc(
    responses={
        "200": {
            "description": "stylesheet or font",
            "content": {"text/css": {"schema": BINARY}, "font/ttf": {"schema": BINARY}},
        }
    }
)
def report_asset(name):
    """The reports' stylesheet and bundled font (the same files the PDFs embed)."""
    found = render.asset(name)
    if found is None:
        raise NotFound(f"There is no report asset '{name}'.")
    path, content_type = found
    response = Response(path.read_bytes(), mimetype=content_type)
    response.headers["Cache-Control"] = "private, max-age=3600"
    return response


def _note_view(kind: str, period: str) -> dict:
    note = notes.get_note(kind, period)
    return {
        "kind": kind,
        "period": period,
        "text": note.text if note else "",
        "updated_by": note.updated_by_id if note else None,
        "updated_at": note.updated_at if note else None,
    }


@blp.route("/<kind>/note")
@roles_required(*ANY_ROLE)
@blp.arguments(PeriodQuery, location="query")
@blp.response(200, ReportNoteOut)
def get_note(args, kind):
    """The recommendations typed into a report of a period (empty text if none yet)."""
    report = registry.get_kind(kind)
    period = registry.span_of(report, args["period"]).label
    return _note_view(kind, period)


@blp.route("/<kind>/note", methods=["PUT"])
@roles_required(*FIELD_ROLES)
@blp.arguments(NoteIn)
@blp.response(200, ReportNoteOut)
def put_note(args, kind):
    """Save the recommendations printed in a report of a period (overwrites; audited)."""
    report = registry.get_kind(kind)
    period = registry.span_of(report, args["period"], location="json").label
    notes.save_note(kind, period, args["text"], current_user)
    return _note_view(kind, period)
