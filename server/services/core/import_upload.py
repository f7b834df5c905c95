"""Device import from the web: an uploaded file checked (a preview of every row's problem) or
imported whole, and the template file a supervisor fills in."""

from __future__ import annotations

import csv
import io
import tempfile
from pathlib import Path

import sqlalchemy as sa

from server.errors import Invalid
from server.extensions import db
from server.models import Room
from server.services.core import importer
from server.services.core.safe_cells import csv_row, xlsx_row

SUFFIXES = (".csv", ".xlsx")
PREVIEW_ROWS = 50  # rows shown back by a check; a file of 1,000 rows is still checked whole
# The template's example row: a real-looking unit of the province bureau's main room.
EXAMPLE = ["", "SN-2025-0001", "L09", "520000", "主会议室", "in_service", "2025-03-31", ""]


def _suffix(filename: str | None) -> str:
    suffix = Path(filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        message = f"{filename or 'The file'} is not a .csv or .xlsx file."
        raise Invalid(message, errors={"files": {"file": [message]}}, code_name="file_kind")
    return suffix


def with_saved(upload, work, stem: str = "devices"):
    """Save an uploaded CSV/XLSX under a fixed name in a scratch folder and run work(path);
    shared by the device import and the meeting notice import."""
    suffix = _suffix(upload.filename)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"{stem}{suffix}"
        upload.save(path)
        try:
            return work(path)
        except Invalid as exc:  # messages name the scratch file: name the user's instead
            exc.message = exc.message.replace(path.name, upload.filename)
            raise


def _preview_row(values: dict, names: dict) -> dict:
    return {
        "tag": values["tag"],
        "serial": values["serial"],
        "type_id": values["type_id"],
        "room_id": values["room_id"],
        "status": values["status"],
        "install_date": values["install_date"],
        "room": names.get(values["room_id"]),
    }


def check(upload) -> dict:
    """Every row checked, nothing written: the problems and the first rows as they would be."""

    def work(path: Path) -> dict:
        count, checked, errors = importer.check_devices(path)
        wanted = {v["room_id"] for v in checked if v["room_id"]}
        rooms = db.session.scalars(sa.select(Room).where(Room.id.in_(wanted))) if wanted else []
        names = {room.id: f"{room.site.name} {room.name}" for room in rooms}
        return {
            "file": upload.filename,
            "rows": count,
            "ready": not errors,
            "problems": [vars(e) for e in errors],
            "preview": [_preview_row(v, names) for v in checked[:PREVIEW_ROWS]],
        }

    return with_saved(upload, work)


def run(upload) -> dict:
    """Import the whole file or nothing; the new devices' tags."""

    def work(path: Path) -> dict:
        made = importer.import_rows(path)
        return {"file": upload.filename, "imported": len(made), "tags": [d.tag for d in made]}

    return with_saved(upload, work)


def template(kind: str) -> bytes:
    """The header every import needs and one example row, as CSV or XLSX."""
    rows = [importer.COLUMNS, EXAMPLE]
    if kind == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(xlsx_row(book.active, row))
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_row(row) for row in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")  # BOM: Excel opens it as UTF-8
