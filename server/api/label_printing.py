"""Calibration pages (PDF, or TSPL/ZPL for a thermal printer) and thermal label printers: the configured ones, retrying a job a printer did not take, and the
calibration page printed on a printer."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.base import QueryArgs, roles_required
from server.api.labels import PrintJobOut, _file
from server.api.out import BINARY, Out
from server.security import MANAGER_ROLES
from server.services.labelling import printers, sending
from server.services.labelling import printing as label_service

blp = Blueprint(
    "label_printing", __name__, url_prefix="/labels", description="Thermal label printers"
)


class LabelPrinterOut(Out):
    name = ma.fields.String()
    language = ma.fields.String(metadata={"description": "tspl or zpl"})
    dpi = ma.fields.Integer()
    address = ma.fields.String(metadata={"description": "host:port, or cups:QUEUE"})
    description = ma.fields.String()


class PrinterChoiceIn(ma.Schema):
    printer = ma.fields.String(
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "a configured printer; retry: default the job's own"},
    )


class CalibrationIn(ma.Schema):
    printer = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))


class CalibrationSentOut(Out):
    printer = ma.fields.String()
    template = ma.fields.String()
    language = ma.fields.String()
    dpi = ma.fields.Integer()


class CalibrationQuery(QueryArgs):
    format = ma.fields.String(
        load_default="pdf", validate=ma.validate.OneOf(("pdf", "tspl", "zpl"))
    )
    dpi = ma.fields.Integer(allow_none=True, validate=ma.validate.OneOf(label_service.DPIS))


@blp.route("/calibration/<name>")
@roles_required(*MANAGER_ROLES)
@blp.arguments(CalibrationQuery, location="query")
@blp.doc(
    responses={
        "200": {
            "description": "calibration page: PDF, or a TSPL/ZPL job",
            "content": {
                c: {"schema": BINARY} for c in ("application/pdf", "application/octet-stream")
            },
        }
    }
)
def calibration(args, name):
    """A calibration page for the template, stored offsets applied; print it at 100 %
    (format=tspl|zpl: the same page as a job for a thermal printer, at dpi)."""
    if args["format"] != "pdf":
        data = label_service.calibration_thermal(name, args["format"], args.get("dpi"))
        filename = f"calibration-{name}.{args['format']}"
        return _file(label_service.Printout(data, "application/octet-stream", filename, 0))
    pdf = label_service.calibration(name)
    return _file(label_service.Printout(pdf, "application/pdf", f"calibration-{name}.pdf", 0))


@blp.route("/printers")
@roles_required(*MANAGER_ROLES)
@blp.response(200, LabelPrinterOut(many=True))
def list_printers():
    """The thermal printers configured for this installation (LABEL_PRINTERS), by name."""
    return sorted(printers.configured().values(), key=lambda p: p.name)


@blp.route("/jobs/<int:job_id>/retry", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(PrinterChoiceIn)
@blp.response(200, PrintJobOut)
def retry_job(args, job_id):
    """Send a failed print job again (to its printer, or the one named); 502 again keeps it."""
    return sending.retry(job_id, args.get("printer"))


@blp.route("/calibration/<name>/print", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(CalibrationIn)
@blp.response(200, CalibrationSentOut)
def print_calibration(args, name):
    """Print the template's calibration page (stored offsets) on a thermal printer."""
    return sending.calibrate(name, args["printer"])
