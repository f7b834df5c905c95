"""The print register: every print job with the tags it printed (kind: print, reprint, retag),
read back one by one, page by page, or whole as CSV for the year-end handover."""

from __future__ import annotations

import csv
import io

import sqlalchemy as sa

from server.errors import NotFound
from server.extensions import db
from server.models import Device, PrintJob, PrintJobItem, TagAlias
from server.services.core import safe_cells
from server.services.core.audit import current_actor
from server.services.labelling.batches import describe


def _kind(devices: list[Device]) -> str:
    """retag when a re-tagged device gets its first new label, reprint when every tag was printed before."""
    ids = [d.id for d in devices]
    printed = set(
        db.session.execute(
            sa.select(PrintJobItem.device_id, PrintJobItem.tag)
            .join(PrintJob, PrintJob.id == PrintJobItem.job_id)
            .where(PrintJobItem.device_id.in_(ids), PrintJob.status == "done")
        )
    )
    fresh = [d for d in devices if (d.id, d.tag) not in printed]
    if not fresh:
        return "reprint"
    retagged = set(
        db.session.scalars(
            sa.select(TagAlias.device_id).where(TagAlias.device_id.in_([d.id for d in fresh]))
        )
    )
    return "retag" if retagged else "print"


def record_job(
    selection: dict,
    template,
    output: str,
    ecc: str,
    dpi: int | None,
    devices: list[Device],
    printer: str | None = None,
) -> PrintJob:
    user_id, label, channel = current_actor()
    job = PrintJob(
        user_id=user_id,
        actor_label=label,
        channel=channel,
        template=template.name,
        offset_x_mm=template.offset_x,
        offset_y_mm=template.offset_y,
        ecc=ecc,
        output=output,
        dpi=dpi,
        kind=_kind(devices),
        selection=_plain(selection),
        description=describe(selection),
        count=len(devices),
        printer=printer,
        status="done",
        attempts=1,
    )
    db.session.add(job)
    db.session.flush()
    # One bulk insert, not the ORM unit of work: the job row above is the audited fact, 1,178 item
    # rows in the audit log would add nothing.
    db.session.execute(
        sa.insert(PrintJobItem),
        [
            {"job_id": job.id, "position": n, "device_id": d.id, "tag": d.tag}
            for n, d in enumerate(devices, 1)
        ],
    )
    return job


def _plain(selection: dict) -> dict:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in selection.items()}


def jobs_query():
    return sa.select(PrintJob).order_by(PrintJob.id.desc())


def get_job(job_id: int) -> PrintJob:
    job = db.session.get(PrintJob, job_id)
    if job is None:
        raise NotFound(f"No print job {job_id}.")
    return job


REGISTER_COLUMNS = (
    "job",
    "printed_at",
    "by",
    "channel",
    "kind",
    "template",
    "offset_x_mm",
    "offset_y_mm",
    "ecc",
    "output",
    "selection",
    "count",
    "position",
    "tag",
    "device_id",
    "current_tag",
    "status",
    "printer",
)


def register_csv() -> bytes:
    """The whole register, one row per printed label (for the year-end handover); UTF-8 with BOM for Excel."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(REGISTER_COLUMNS)
    query = (
        sa.select(PrintJob, PrintJobItem, Device.tag)
        .join(PrintJobItem, PrintJobItem.job_id == PrintJob.id)
        .join(Device, PrintJobItem.device_id == Device.id)
        .order_by(PrintJob.id, PrintJobItem.position)
    )
    for job, item, current in db.session.execute(query):
        writer.writerow(
            safe_cells.csv_row(
                [
                    job.id,
                    job.at.isoformat(),
                    job.actor_label,
                    job.channel,
                    job.kind,
                    job.template,
                    job.offset_x_mm,
                    job.offset_y_mm,
                    job.ecc,
                    job.output,
                    job.description,
                    job.count,
                    item.position,
                    item.tag,
                    item.device_id,
                    current,
                    job.status,
                    job.printer or "",
                ]
            )
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")
