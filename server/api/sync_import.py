"""Hand-over by file: the office imports a phone's file and downloads the signed receipt
(docs/handover-file.md)."""

import marshmallow as ma
import sqlalchemy as sa
from flask import Response
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, paginate, roles_required
from server.api.out import BINARY, Computed, Out, Timestamp
from server.api.schemas import page_of
from server.api.schemas_import import ImportFileIn
from server.api.sync import SyncPersonOut, person_of
from server.errors import NotFound
from server.extensions import db
from server.models import SyncImport
from server.security import MANAGER_ROLES
from server.services.sync import handfile_import

blp = Blueprint("sync_import", __name__, url_prefix="/sync/imports", description="Hand-over files")


class AnswerOut(Out):
    uuid = ma.fields.String(allow_none=True)
    status = ma.fields.String(metadata={"description": "created, duplicate, conflict, rejected"})
    id = ma.fields.Integer(allow_none=True, metadata={"optional": True})
    conflict_id = ma.fields.Integer(allow_none=True, metadata={"optional": True})
    code = ma.fields.String(allow_none=True, metadata={"optional": True})
    reason = ma.fields.String(allow_none=True, metadata={"optional": True})
    errors = ma.fields.Raw(allow_none=True, metadata={"optional": True})
    clock_skew_seconds = ma.fields.Integer(allow_none=True, metadata={"optional": True})


class SyncImportOut(Out):
    id = ma.fields.Integer()
    key_id = ma.fields.String()
    phone_id = ma.fields.String()
    user = Computed(lambda r: person_of(r.user_id), like=ma.fields.Nested(SyncPersonOut))
    imported_by = Computed(
        lambda r: person_of(r.imported_by_id),
        like=ma.fields.Nested(SyncPersonOut, allow_none=True),
        metadata={"description": "the office user who imported it (null: the CLI)"},
    )
    imported_at = Timestamp()
    file_name = ma.fields.String(allow_none=True)
    file_sha256 = ma.fields.String()
    exported_at = ma.fields.String(allow_none=True, metadata={"description": "phone clock"})
    records = ma.fields.Integer()
    created = ma.fields.Integer()
    duplicates = ma.fields.Integer()
    conflicts = ma.fields.Integer()
    rejected = ma.fields.Integer()
    photos = ma.fields.Integer()
    receipt_url = Computed(
        lambda r: f"/api/v1/sync/imports/{r.id}/receipt", like=ma.fields.String()
    )


class SyncImportDoneOut(SyncImportOut):
    results = Computed(
        handfile_import.results_of,
        like=ma.fields.List(ma.fields.Nested(AnswerOut)),
        metadata={"description": "one answer per record, as a push answers"},
    )


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ImportFileIn, location="files")
@blp.response(201, SyncImportDoneOut)
def import_file(files):
    """Import a phone's hand-over file: verified whole (422 naming what is wrong, nothing
    written), then stored as a push of the key's user would be; the answers and the receipt."""
    upload = files["file"]
    # Werkzeug spooled the upload to disk; the import reads it line by line from there.
    return handfile_import.import_file(upload.stream, current_user, upload.filename)


@blp.route("")
@roles_required(*MANAGER_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(SyncImportOut))
def list_imports(args):
    """The imports of hand-over files, newest first."""
    query = sa.select(SyncImport).order_by(SyncImport.id.desc())
    return paginate(query, args["page"], args["per_page"])


@blp.route("/<int:import_id>/receipt")
@roles_required(*MANAGER_ROLES)
@blp.response(200, BINARY, content_type="application/x-ndjson", description="the receipt")
def receipt(import_id):
    """The signed receipt of an import, for the phone to mark its records sent."""
    run = db.session.get(SyncImport, import_id)
    if run is None:
        raise NotFound(f"No import {import_id}.")
    name = f"xunjian-receipt-{run.phone_id}-{run.id}.xjreceipt"
    return Response(
        run.receipt,
        mimetype="application/x-ndjson",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
