"""Label printing: templates with this installation's offsets, rendering, print jobs, previews
(the register of jobs: register.py)."""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import sqlalchemy as sa
from flask import current_app

import labels
from server.errors import Invalid, NotFound
from server.extensions import db
from server.models import LabelTemplateSetting, PrintJob
from server.services.core.audit import current_actor
from server.services.core.public_url import public_base
from server.services.labelling.batches import check_selection, select_devices
from server.services.labelling.register import record_job

DPIS = (203, 300)


# Templates and offsets


def _setting(name: str) -> LabelTemplateSetting | None:
    return db.session.scalar(
        sa.select(LabelTemplateSetting).where(LabelTemplateSetting.name == name)
    )


def _offsets(setting: LabelTemplateSetting | None) -> dict:
    return {"offset_x": setting.offset_x_mm, "offset_y": setting.offset_y_mm} if setting else {}


def template_for(name: str, field_name: str | None = None) -> labels.Template:
    """The template with its stored offsets; unknown name: 404, or 422 on field_name of a request body."""
    known = labels.load_templates()
    if name not in known:
        message = f"Unknown label template '{name}'; choose one of {', '.join(sorted(known))}."
        if field_name:
            raise Invalid(message, errors={"json": {field_name: [message]}})
        raise NotFound(message)
    try:
        return labels.get_template(name, extra={name: _offsets(_setting(name))})
    except labels.LabelError as exc:  # stored offsets no longer fit an edited template
        raise Invalid(
            f"{exc} (stored offsets; correct them with PUT /api/v1/labels/templates/{name}/offsets)",
            errors={"json": {"offset_x": [str(exc)]}},
        ) from None


def list_templates() -> list[dict]:
    """Every template by name, with the offsets stored for it (or its own when none are stored)."""
    settings = {s.name: s for s in db.session.scalars(sa.select(LabelTemplateSetting))}
    result = []
    for name, base in sorted(labels.load_templates().items()):
        setting = settings.get(name)
        try:
            template = labels.get_template(name, extra={name: _offsets(setting)})
        except labels.LabelError:
            template = base
        result.append({"template": template, "setting": setting})
    return result


def set_offsets(name: str, offset_x: float, offset_y: float) -> dict:
    """Store the drift correction for a template after labels has checked it keeps labels on the page."""
    template_for(name)
    try:
        template = labels.get_template(
            name, extra={name: {"offset_x": offset_x, "offset_y": offset_y}}
        )
    except labels.LabelError as exc:
        field_name = "offset_y" if "offset_y" in str(exc) else "offset_x"
        raise Invalid(str(exc), errors={"json": {field_name: [str(exc)]}}) from None
    setting = _setting(name) or LabelTemplateSetting(name=name)
    setting.offset_x_mm, setting.offset_y_mm = float(offset_x), float(offset_y)
    setting.updated_by_id = current_actor()[0]
    db.session.add(setting)
    db.session.flush()
    return {"template": template, "setting": setting}


def calibration(name: str) -> bytes:
    return labels.calibration_pdf(template_for(name))


def calibration_thermal(name: str, language: str, dpi: int | None) -> bytes:
    try:
        return labels.calibration_thermal(template_for(name), language, dpi)
    except labels.LabelError as exc:
        raise Invalid(str(exc)) from None


# Label data and rendering


def contact() -> dict:
    """The owner line and support phone every label prints (public: they are on the label)."""
    config = current_app.config
    return {
        "owner_line": config.get("LABEL_OWNER_LINE") or "",
        "support_phone": config.get("LABEL_SUPPORT_PHONE") or "",
    }


def support_line() -> str:
    phone = current_app.config.get("LABEL_SUPPORT_PHONE") or ""
    return f"运维热线 {phone}" if phone else ""


def label_data(rows) -> list[labels.LabelData]:
    """LabelData for (device, type, room, site) rows: names as they are at print time."""
    base, owner, support = (
        public_base(),
        current_app.config["LABEL_OWNER_LINE"],
        support_line(),
    )
    try:
        return [
            labels.LabelData(
                tag=device.tag,
                url=labels.qr_url(base, device.tag),
                type_name=dtype.name_zh,
                model=dtype.model or "",
                site_name=site.name if site else "",
                room_name=room.name if room else "",
                owner_line=owner or "",
                support_line=support,
            )
            for device, dtype, room, site in rows
        ]
    except labels.LabelError as exc:
        raise Invalid(str(exc)) from None


@dataclass
class Printout:
    """The bytes to hand out, and the register entry when one was recorded."""

    data: bytes
    mimetype: str
    filename: str
    count: int
    files: list[tuple[str, bytes]] = field(default_factory=list)  # PNG: one file per label
    job: PrintJob | None = None


OUTPUTS = ("pdf", "png", *labels.LANGUAGES)


def _check_output(output: str, dpi: int | None, ecc: str | None) -> None:
    if output not in OUTPUTS:
        raise Invalid(
            f"Unknown output '{output}'; use pdf, png, tspl or zpl.",
            errors={"json": {"format": ["pdf, png, tspl or zpl"]}},
        )
    if dpi is not None and dpi not in DPIS:
        raise Invalid(
            f"Resolution {dpi} dpi is not supported; use 203 or 300.",
            errors={"json": {"dpi": ["203 or 300"]}},
        )
    if ecc is not None and ecc not in ("M", "Q"):
        raise Invalid(
            f"Error correction '{ecc}' is not offered; use M or Q.",
            errors={"json": {"ecc": ["M or Q"]}},
        )


def render(
    selection: dict,
    template_name: str,
    output: str = "pdf",
    ecc: str | None = None,
    dpi: int | None = None,
    limit: int | None = None,
) -> tuple[Printout, list]:
    """Select, build and render; raises before anything is recorded. Returns the printout and the rows."""
    _check_output(output, dpi, ecc)
    template = template_for(template_name, "template")
    rows = select_devices(selection)
    data = label_data(rows[:limit] if limit else rows)
    try:
        if output == "pdf":
            printout = Printout(
                labels.render_pdf(data, template, ecc=ecc),
                "application/pdf",
                f"labels-{template.name}.pdf",
                len(data),
            )
        elif output in labels.LANGUAGES:
            printout = Printout(
                labels.render_thermal(data, template, output, dpi=dpi, ecc=ecc),
                "application/octet-stream",
                f"labels-{template.name}.{output}",
                len(data),
            )
        else:
            files = [
                (
                    f"{n:04d}-{label.tag}.png",
                    labels.render_png(label, template, dpi=dpi or 203, ecc=ecc),
                )
                for n, label in enumerate(data, 1)
            ]
            printout = _png_printout(files, template.name)
    except labels.LabelError as exc:
        raise Invalid(str(exc)) from None
    return printout, rows


def _png_printout(files: list[tuple[str, bytes]], template_name: str) -> Printout:
    if len(files) == 1:
        name, data = files[0]
        return Printout(data, "image/png", f"label-{name[5:]}", 1, files)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:  # PNGs are already compressed
        for name, data in files:
            archive.writestr(name, data)
    return Printout(
        out.getvalue(), "application/zip", f"labels-{template_name}-png.zip", len(files), files
    )


def print_labels(
    selection: dict,
    template_name: str,
    output: str = "pdf",
    ecc: str | None = None,
    dpi: int | None = None,
) -> Printout:
    """Render the batch and, only once that succeeded, record the job and the tags it printed."""
    printout, rows = render(selection, template_name, output, ecc, dpi)
    template = template_for(template_name, "template")
    printout.job = record_job(
        check_selection(selection),
        template,
        output,
        ecc or template.ecc,
        output_dpi(output, dpi, template),
        [device for device, *_ in rows],
    )
    return printout


def output_dpi(output: str, dpi: int | None, template: labels.Template) -> int | None:
    """The resolution a job was rendered at: none for a PDF; PNG 203 unless asked; thermal the
    asked one, else the template's printer_dpi, else 203 (as labels.render_thermal decides)."""
    if output == "pdf":
        return None
    if output == "png":
        return dpi or 203
    return dpi or template.printer_dpi or 203


def preview(
    selection: dict,
    template_name: str,
    output: str = "png",
    ecc: str | None = None,
    dpi: int | None = None,
) -> tuple[Printout, int]:
    """The first label as PNG, or the first page as PDF, and how many labels the batch has; no record."""
    template = template_for(template_name, "template")
    printout, rows = render(
        selection,
        template_name,
        output,
        ecc,
        dpi,
        limit=1 if output == "png" else template.per_page,
    )
    return printout, len(rows)
