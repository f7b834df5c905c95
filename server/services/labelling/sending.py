"""Printing to a thermal printer: render in its language and dpi, record the job, send it; a send
that fails keeps the job (status failed, the error) to retry; the calibration page on the printer."""

from __future__ import annotations

import sqlalchemy as sa

import labels
from server.errors import Conflict, Invalid, PrinterUnreachable
from server.extensions import db
from server.models import Device, PrintJob, PrintJobItem
from server.services.labelling import printers
from server.services.labelling.printing import Printout, print_labels, template_for
from server.services.labelling.register import get_job


def _printer_output(printer: printers.Printer, output: str | None, dpi: int | None) -> None:
    """A printer speaks one language at one dpi: a different format or dpi asked for is an error."""
    if output not in (None, printer.language):
        message = f"Printer '{printer.name}' takes {printer.language.upper()}, not {output}."
        raise Invalid(message, errors={"json": {"format": [message]}})
    if dpi not in (None, printer.dpi):
        message = f"Printer '{printer.name}' prints at {printer.dpi} dpi, not {dpi}."
        raise Invalid(message, errors={"json": {"dpi": [message]}})


def print_to(
    selection: dict,
    template_name: str,
    printer: str | printers.Printer,
    output: str | None = None,
    ecc: str | None = None,
    dpi: int | None = None,
    seconds: float | None = None,
) -> Printout:
    """Render the batch for the printer, record the job, send it (failed: kept, and 502)."""
    printer = printers.get(printer) if isinstance(printer, str) else printer
    _printer_output(printer, output, dpi)
    printout = print_labels(selection, template_name, printer.language, ecc, printer.dpi)
    printout.job.printer = printer.name
    deliver(printout.job, printer, printout.data, seconds)
    return printout


def deliver(
    job: PrintJob, printer: printers.Printer, data: bytes, seconds: float | None = None
) -> None:
    """Send; record the outcome on the job either way, and raise (the job kept) when it failed."""
    try:
        printers.send(printer, data, seconds or printers.timeout(), title=f"xunjian job {job.id}")
    except PrinterUnreachable as exc:
        job.status, job.error = "failed", exc.message[:512]
        db.session.flush()
        raise PrinterUnreachable(
            f"{exc.message} Print job {job.id} is kept to retry "
            f"(POST /api/v1/labels/jobs/{job.id}/retry, or `xunjian labels retry {job.id}`).",
            headers={"X-Print-Job": str(job.id)},
        ) from None
    job.status, job.error = "done", None
    db.session.flush()


def retry(
    job_id: int, printer: str | printers.Printer | None = None, seconds: float | None = None
) -> PrintJob:
    """Send a failed job again (to its printer or another one), re-rendered from the tags it holds."""
    job = get_job(job_id)
    if job.status != "failed":
        raise Conflict(
            f"Print job {job.id} was printed already; print the batch again for more copies."
        )
    printer = printer or job.printer
    if not printer:
        raise Invalid(
            "This job went to no printer; name one.", errors={"json": {"printer": ["required"]}}
        )
    if isinstance(printer, str):
        printer = printers.get(printer)
    template = template_for(job.template, "template")
    data = labels.render_thermal(_labels_of(job), template, printer.language, printer.dpi, job.ecc)
    job.printer, job.output, job.dpi = printer.name, printer.language, printer.dpi
    job.offset_x_mm, job.offset_y_mm = template.offset_x, template.offset_y
    job.attempts += 1
    deliver(job, printer, data, seconds)
    return job


def _labels_of(job: PrintJob) -> list[labels.LabelData]:
    """The job's labels with the tags it recorded; a device re-tagged since makes it a new batch."""
    from server.services.labelling.batches import select_devices
    from server.services.labelling.printing import label_data

    items = list(
        db.session.execute(
            sa.select(PrintJobItem.tag, Device.tag)
            .join(Device, Device.id == PrintJobItem.device_id)
            .where(PrintJobItem.job_id == job.id)
            .order_by(PrintJobItem.position)
        )
    )
    changed = [f"{old} (now {new})" for old, new in items if old != new]
    if changed:
        raise Conflict(
            f"Print job {job.id} cannot be retried: re-tagged since: {', '.join(changed)}; "
            "print a new batch."
        )
    rows = {
        device.tag: (device, *rest)
        for device, *rest in select_devices({"tags": [t for t, _ in items]})
    }
    return label_data([rows[tag] for tag, _ in items])


def calibrate(template_name: str, printer: str | printers.Printer, seconds=None) -> dict:
    """The calibration page of the template (stored offsets) printed on the printer itself."""
    printer = printers.get(printer) if isinstance(printer, str) else printer
    template = template_for(template_name)
    data = labels.calibration_thermal(template, printer.language, printer.dpi)
    printers.send(
        printer, data, seconds or printers.timeout(), title=f"calibration {template.name}"
    )
    return {
        "printer": printer.name,
        "template": template.name,
        "language": printer.language,
        "dpi": printer.dpi,
    }
