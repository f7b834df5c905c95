"""Device import from the web: check a CSV/XLSX file (every row's problem, nothing written),
import it whole or not at all, and download the template to fill in."""

from flask import Response
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.out import BINARY
from server.api.schemas_import import ImportCheckOut, ImportDoneOut, ImportFileIn, TemplateArgs
from server.security import MANAGER_ROLES
from server.services.core import import_upload

blp = Blueprint("device_import", __name__, url_prefix="/device-import", description="Device import")
MIMETYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@blp.route("/check", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ImportFileIn, location="files")
@blp.response(200, ImportCheckOut)
def check_import(files):
    """Check every row of the file and answer each problem (row, column, code); writes nothing."""
    return import_upload.check(files["file"])


@blp.route("", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(ImportFileIn, location="files")
@blp.response(201, ImportDoneOut)
def run_import(files):
    """Import every row of the file, or none (422 listing every row's problem)."""
    return import_upload.run(files["file"])


@blp.route("/template")
@roles_required(*MANAGER_ROLES)
@blp.arguments(TemplateArgs, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "the template",
            "content": {"text/csv": {"schema": BINARY}, MIMETYPES["xlsx"]: {"schema": BINARY}},
        }
    }
)
def import_template(args):
    """The header every import needs and one example row (format=csv or xlsx)."""
    kind = args["format"]
    return Response(
        import_upload.template(kind),
        mimetype=MIMETYPES[kind],
        headers={"Content-Disposition": f'attachment; filename="devices-template.{kind}"'},
    )
