"""Labels: templates and offsets, preview, print (recorded in the register), calibration, re-tagging."""

import marshmallow as ma
from flask import Response
from flask_smorest import Blueprint

from labels import load_templates
from server.api.base import PageArgs, paginate, roles_required
from server.api.devices import DeviceDetail
from server.api.out import BINARY, Computed, Out, Timestamp, utc_z
from server.api.schemas import page_of
from server.security import ANY_ROLE, AUDIT_READERS, MANAGER_ROLES
from server.services.core import devices as device_service
from server.services.core.public_url import is_loopback, public_base
from server.services.labelling import printing as label_service
from server.services.labelling import register, sending
from server.services.labelling import retag as retag_service

blp = Blueprint("labels", __name__, url_prefix="/labels", description="QR asset labels")
retag_blp = Blueprint(
    "device_retag", __name__, url_prefix="/devices", description="Re-tagging devices"
)
JOBS_ANSWER = "a page of jobs (JSON) or, with format=csv, every printed label of every job (CSV)"
PDF_OR_PNG = {
    ctype: {"schema": BINARY}
    for ctype in ("application/pdf", "image/png", "application/zip", "application/octet-stream")
}


def _binary_doc(description: str, content: dict):
    """OpenAPI for a view that returns a file instead of JSON."""
    return blp.doc(responses={"200": {"description": description, "content": content}})


class LabelTemplateOut(ma.Schema):
    name = Computed(lambda t: t["template"].name, like=ma.fields.String())
    description = Computed(lambda t: t["template"].description, like=ma.fields.String())
    page_width = Computed(lambda t: t["template"].page_width, like=ma.fields.Float())
    page_height = Computed(lambda t: t["template"].page_height, like=ma.fields.Float())
    label_width = Computed(lambda t: t["template"].label_width, like=ma.fields.Float())
    label_height = Computed(lambda t: t["template"].label_height, like=ma.fields.Float())
    columns = Computed(lambda t: t["template"].columns, like=ma.fields.Integer())
    rows = Computed(lambda t: t["template"].rows, like=ma.fields.Integer())
    per_page = Computed(lambda t: t["template"].per_page, like=ma.fields.Integer())
    ecc = Computed(lambda t: t["template"].ecc, like=ma.fields.String())
    printer_dpi = Computed(
        lambda t: t["template"].printer_dpi, like=ma.fields.Integer(allow_none=True)
    )
    offset_x = Computed(lambda t: t["template"].offset_x, like=ma.fields.Float())
    offset_y = Computed(lambda t: t["template"].offset_y, like=ma.fields.Float())
    offsets_updated_at = Computed(
        lambda t: t["setting"] and utc_z(t["setting"].updated_at), like=Timestamp(allow_none=True)
    )
    offsets_updated_by = Computed(
        lambda t: t["setting"] and t["setting"].updated_by and t["setting"].updated_by.username,
        like=ma.fields.String(allow_none=True),
    )


class LabelOffsetsIn(ma.Schema):
    offset_x = ma.fields.Float(
        required=True, allow_nan=False, metadata={"description": "mm, + moves right"}
    )
    offset_y = ma.fields.Float(
        required=True, allow_nan=False, metadata={"description": "mm, + moves down"}
    )


class LabelBatchIn(ma.Schema):
    """A batch (criteria combine with AND) and how to print it."""

    template = ma.fields.String(
        required=True,
        metadata={"description": "e.g. a4-3x8, roll-40x30", "enum": sorted(load_templates())},
    )
    all = ma.fields.Boolean(load_default=False)
    site = ma.fields.String(metadata={"description": "site code"})
    region = ma.fields.String(
        metadata={"description": "prefecture or county code (province: all sites)"}
    )
    type = ma.fields.String(metadata={"description": "device type code"})
    kind = ma.fields.String(metadata={"description": "device kind, e.g. camera"})
    tags = ma.fields.List(ma.fields.String(), validate=ma.validate.Length(max=5000))
    never_printed = ma.fields.Boolean(load_default=False)
    printed_before = ma.fields.Date(
        metadata={"description": "latest label printed before this day (China time)"}
    )
    ecc = ma.fields.String(allow_none=True, validate=ma.validate.OneOf(("M", "Q")))
    format = ma.fields.String(
        load_default=None,
        validate=ma.validate.OneOf(label_service.OUTPUTS),
        metadata={"description": "pdf (default), png, tspl or zpl; with a printer: its language"},
    )
    dpi = ma.fields.Integer(allow_none=True, validate=ma.validate.OneOf(label_service.DPIS))
    printer = ma.fields.String(
        validate=ma.validate.Length(min=1, max=64),
        metadata={"description": "a configured thermal printer (GET /labels/printers): send to it"},
    )


class LabelPreviewIn(LabelBatchIn):
    format = ma.fields.String(load_default="png", validate=ma.validate.OneOf(("pdf", "png")))

    class Meta:
        exclude = ("printer",)  # a preview is shown here, never sent


class PrintJobOut(Out):
    id = ma.fields.Integer()
    at = Timestamp()
    user_id = ma.fields.Integer(allow_none=True)
    actor_label = ma.fields.String()
    channel = ma.fields.String()
    kind = ma.fields.String()
    template = ma.fields.String()
    offset_x_mm = ma.fields.Float()
    offset_y_mm = ma.fields.Float()
    ecc = ma.fields.String()
    output = ma.fields.String()
    dpi = ma.fields.Integer(allow_none=True)
    selection = ma.fields.Dict()
    description = ma.fields.String()
    count = ma.fields.Integer()
    status = ma.fields.String(
        metadata={"description": "done, or failed (a printer did not take it)"}
    )
    printer = ma.fields.String(allow_none=True)
    error = ma.fields.String(allow_none=True, metadata={"description": "why the last send failed"})
    attempts = ma.fields.Integer()


class PrintedLabelOut(Out):
    position = ma.fields.Integer()
    device_id = ma.fields.Integer()
    tag = ma.fields.String(metadata={"description": "the tag printed"})
    current_tag = ma.fields.String(metadata={"description": "the tag the device carries now"})


class PrintJobDetail(PrintJobOut):
    items = Computed(
        lambda job: [
            {
                "position": i.position,
                "device_id": i.device_id,
                "tag": i.tag,
                "current_tag": i.device.tag,
            }
            for i in job.items
        ],
        like=ma.fields.List(ma.fields.Nested(PrintedLabelOut)),
    )


class PrintJobsQuery(PageArgs):
    format = ma.fields.String(load_default="json", validate=ma.validate.OneOf(("json", "csv")))


class RetagIn(ma.Schema):
    reason = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))


class RetagOut(Out):
    retired_tag = ma.fields.String(attribute="tag")
    current_tag = Computed(lambda a: a.device.tag, like=ma.fields.String())
    reason = ma.fields.String()
    retired_at = Timestamp()
    device = ma.fields.Nested(DeviceDetail)


def _split(args: dict) -> tuple[dict, dict]:
    options = {key: args.pop(key, None) for key in ("template", "ecc", "format", "dpi", "printer")}
    return args, options


def _file(printout, inline: bool = False, headers: dict | None = None) -> Response:
    # The QR codes' address, and whether it is this machine only: the page warns before labels
    # that no phone can open are stuck on devices.
    base = public_base()
    headers = {**(headers or {}), "X-Label-Url-Base": base}
    if is_loopback(base):
        headers["X-Label-Url-Loopback"] = "1"
    disposition = "inline" if inline else "attachment"
    response = Response(printout.data, mimetype=printout.mimetype, headers=headers or {})
    response.headers["Content-Disposition"] = f'{disposition}; filename="{printout.filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


class LabelContactOut(Out):
    owner_line = ma.fields.String(metadata={"description": "the owner line printed on labels"})
    support_phone = ma.fields.String(metadata={"description": "the support phone; empty if unset"})


@blp.route("/contact")
@blp.response(200, LabelContactOut)
def contact():
    """What every label prints for anyone to read (owner line, support phone): shown on the
    sign-in form a label's URL opens, so a stranger scanning it knows whom to call. Public."""
    return label_service.contact()


@blp.route("/templates")
@roles_required(*ANY_ROLE)
@blp.response(200, LabelTemplateOut(many=True))
def list_templates():
    """Label templates by name (the name carries the size), with this installation's offsets."""
    return label_service.list_templates()


@blp.route("/templates/<name>/offsets", methods=["PUT"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(LabelOffsetsIn)
@blp.response(200, LabelTemplateOut)
def set_offsets(args, name):
    """Store a template's printer drift correction; offsets that push labels off the page get 422."""
    return label_service.set_offsets(name, args["offset_x"], args["offset_y"])


@blp.route("/preview", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(LabelPreviewIn)
@_binary_doc("PNG of the first label or PDF of the first page", PDF_OR_PNG)
def preview(args):
    """The first label (PNG) or first page (PDF) of a batch; X-Label-Count tells the batch size. Not recorded."""
    selection, options = _split(args)
    printout, count = label_service.preview(
        selection, options["template"], options["format"], options["ecc"], options["dpi"]
    )
    template = label_service.template_for(options["template"], "template")
    return _file(
        printout,
        inline=True,
        headers={"X-Label-Count": str(count), "X-Label-Pages": str(-(-count // template.per_page))},
    )


@blp.route("/print", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@blp.arguments(LabelBatchIn)
@_binary_doc("PDF; PNG for one label; ZIP of PNGs for several; TSPL/ZPL job", PDF_OR_PNG)
@blp.alt_response(200, schema=PrintJobOut, success=True, description="sent to the printer")
def print_batch(args):
    """Print a batch: the file as an attachment, or sent to a printer (the job as JSON); a job in
    the register either way. A printer that does not take it: 502, the job kept to retry."""
    selection, options = _split(args)
    if options["printer"]:
        printout = sending.print_to(
            selection,
            options["template"],
            options["printer"],
            options["format"],
            options["ecc"],
            options["dpi"],
        )
        return PrintJobOut().dump(printout.job)
    printout = label_service.print_labels(
        selection, options["template"], options["format"] or "pdf", options["ecc"], options["dpi"]
    )
    return _file(
        printout,
        headers={"X-Print-Job": str(printout.job.id), "X-Label-Count": str(printout.count)},
    )


@blp.route("/jobs")
@roles_required(*AUDIT_READERS)
@blp.arguments(PrintJobsQuery, location="query")
@blp.response(200, page_of(PrintJobOut), description=JOBS_ANSWER)
@blp.alt_response(
    200, schema=BINARY, content_type="text/csv", success=True, description=JOBS_ANSWER
)
def list_jobs(args):
    """The label register, newest first; ?format=csv gives every printed label of every job."""
    if args["format"] == "csv":
        printout = label_service.Printout(
            register.register_csv(), "text/csv", "label-register.csv", 0
        )
        response = _file(printout)
        response.headers["Content-Type"] = "text/csv; charset=utf-8"
        return response
    return paginate(register.jobs_query(), args["page"], args["per_page"])


@blp.route("/jobs/<int:job_id>")
@roles_required(*AUDIT_READERS)
@blp.response(200, PrintJobDetail)
def get_job(job_id):
    """One print job with the tags it printed and the tag each device carries now."""
    return register.get_job(job_id)


@retag_blp.route("/<tag>/retag", methods=["POST"])
@roles_required(*MANAGER_ROLES)
@retag_blp.arguments(RetagIn)
@retag_blp.response(200, RetagOut)
def retag(args, tag):
    """Give a device a new tag (label lost or compromised); the old tag stays as a retired alias."""
    return retag_service.retag(device_service.get_by_tag(tag), args["reason"])
