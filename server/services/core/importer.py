"""Device import/export as CSV or XLSX: all rows are checked first, then all written or none."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import sqlalchemy as sa

from server import tags
from server.errors import Invalid
from server.extensions import db
from server.models import DEVICE_STATUSES, Device, DeviceType, Room, Site
from server.services.core import moves
from server.services.core.devices import next_tag
from server.services.core.safe_cells import csv_row, csv_unescape, xlsx_row

COLUMNS = ["tag", "serial", "type_code", "site_code", "room", "status", "install_date", "notes"]
REQUIRED = ["type_code", "site_code", "room"]
UNPLACED_STATUSES = {"spare", "in_repair", "retired"}


@dataclass
class RowError:
    """One problem of one row: the English reason for the CLI, a code and its parameters for
    screens (words in pwa/static/core/dict/errors.js, `row_<code>`)."""

    row: int
    column: str
    reason: str
    code: str = "other"
    params: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return f"row {self.row}, column {self.column}: {self.reason}"


def _file_error(message: str, code: str) -> Invalid:
    """A file that cannot be read as a table: the field `file`, a stable code for screens."""
    return Invalid(message, errors={"file": [message]}, code_name=f"file_{code}")


def _cells(path: Path) -> list[list[str]]:
    """Every row's cells as stripped strings; a file of the wrong kind is a clear error."""
    if path.suffix.lower() == ".xlsx":
        from openpyxl import load_workbook

        try:  # our own handle: a file openpyxl fails on is still closed
            with open(path, "rb") as fh:
                book = load_workbook(fh, read_only=True, data_only=True)
                rows = [
                    ["" if v is None else str(v).strip() for v in row]
                    for row in book.active.iter_rows(values_only=True)
                ]
                book.close()
                return rows
        except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
            raise _file_error(f"{path.name} is not a readable XLSX workbook.", "not_xlsx") from exc
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            # csv_unescape: a cell our own export quoted (a note starting with "=") reads back as it was.
            return [[csv_unescape(v.strip()) for v in row] for row in csv.reader(fh)]
    except (UnicodeDecodeError, csv.Error) as exc:
        raise _file_error(f"{path.name} is not a UTF-8 CSV file.", "not_csv") from exc


def read_rows(path: Path, required=REQUIRED, columns=COLUMNS) -> list[dict]:
    """Rows as dicts of stripped strings; row numbers as a spreadsheet shows them."""
    values = _cells(path)
    if not values:
        raise _file_error(f"{path.name} is empty.", "empty")
    header = [h.lower() for h in values[0]]
    missing = [c for c in required if c not in header]
    if missing:
        raise _file_error(
            f"{path.name} lacks the column(s) {', '.join(missing)}; "
            f"the header must name: {', '.join(columns)}.",
            "columns_missing",
        )
    return [dict(zip(header, row)) for row in values[1:] if any(row)]


class _Lookups:
    """Everything the checks need, loaded once."""

    def __init__(self) -> None:
        self.types = {t.code: t for t in db.session.scalars(sa.select(DeviceType))}
        self.sites = {s.code: s for s in db.session.scalars(sa.select(Site))}
        self.rooms = {(r.site_id, r.name): r for r in db.session.scalars(sa.select(Room))}
        self.tags = set(db.session.scalars(sa.select(Device.tag)))
        self.serials = set(
            db.session.scalars(sa.select(Device.serial).where(Device.serial.is_not(None)))
        )


def _check_row(number: int, row: dict, seen: _Lookups, errors: list[RowError]) -> dict | None:
    def fail(column: str, reason: str, code: str, **params) -> None:
        errors.append(RowError(number, column, reason, code, params))

    before = len(errors)
    tag = row.get("tag", "")
    if tag:
        try:
            tag = tags.validate(tag)
        except tags.TagError as exc:
            fail("tag", str(exc), "tag_invalid", value=tag)
        else:
            if tag in seen.tags:
                fail(
                    "tag",
                    f"{tag} is already used (in the database or earlier in this file)",
                    "tag_taken",
                    value=tag,
                )
            seen.tags.add(tag)
    serial = row.get("serial") or None
    if serial:
        if serial in seen.serials:
            fail(
                "serial",
                f"{serial} is already used (in the database or earlier in this file)",
                "serial_taken",
                value=serial,
            )
        seen.serials.add(serial)
    dtype = seen.types.get(row.get("type_code", ""))
    if dtype is None:
        code = row.get("type_code", "")
        fail("type_code", f"unknown device type '{code}'", "type_unknown", value=code)
    elif dtype.retired_at is not None:
        fail(
            "type_code", f"device type '{dtype.code}' is retired", "type_retired", value=dtype.code
        )
    status = row.get("status") or "in_service"
    if status not in DEVICE_STATUSES:
        choices = ", ".join(DEVICE_STATUSES)
        fail("status", f"'{status}' is not one of {choices}", "status_unknown", value=status)
    room = _check_place(row, status, seen, fail)
    install = None
    if row.get("install_date"):
        try:
            install = date.fromisoformat(row["install_date"][:10])
        except ValueError:
            value = row["install_date"]
            fail(
                "install_date",
                f"'{value}' is not a date like 2025-03-31",
                "date_invalid",
                value=value,
            )
    if len(errors) > before:
        return None
    return {
        "tag": tag or None,
        "serial": serial,
        "type_id": dtype.id,
        "room_id": room.id if room else None,
        "status": status,
        "install_date": install,
        "notes": row.get("notes") or None,
    }


def _check_place(row: dict, status: str, seen: _Lookups, fail) -> Room | None:
    site_code, room_name = row.get("site_code", ""), row.get("room", "")
    if not site_code and not room_name and status in UNPLACED_STATUSES:
        return None
    site = seen.sites.get(site_code)
    if site is None and site_code:
        fail("site_code", f"unknown site '{site_code}'", "site_unknown", value=site_code)
    elif site is None:
        reason = "empty; only spare, in-repair or retired units may have no site"
        fail("site_code", reason, "site_missing")
    if site is None:
        return None
    room = seen.rooms.get((site.id, room_name))
    if room is None:
        names = ", ".join(
            sorted(n for (sid, n), r in seen.rooms.items() if sid == site.id and not r.closed_at)
        )
        reason = f"{site.name} has no room '{room_name}' (it has: {names})"
        fail("room", reason, "room_unknown", value=room_name, site=site.name, rooms=names)
    elif room.closed_at is not None:
        reason = f"room '{room_name}' of {site.name} is closed"
        fail("room", reason, "room_closed", value=room_name, site=site.name)
    return room


def check_devices(path: Path) -> tuple[int, list[dict], list[RowError]]:
    """(rows read, the rows' values ready to write, every problem): nothing is written."""
    rows = read_rows(path)
    if not rows:
        raise _file_error(f"{path.name} has a header but no rows.", "no_rows")
    seen, errors, checked = _Lookups(), [], []
    for number, row in enumerate(rows, start=2):
        result = _check_row(number, row, seen, errors)
        if result:
            checked.append(result)
    return len(rows), checked, errors


def row_problems(name: str, errors: list[RowError]) -> Invalid:
    """The answer to a file with bad rows: every row's problem, nothing imported."""
    return Invalid(
        f"{name}: {len(errors)} problem(s); nothing was imported.",
        errors={"rows": [vars(e) for e in errors]},
        code_name="import_rows",
    )


def import_devices(path: Path) -> int:
    """Check every row; write all of them, or raise Invalid listing every problem."""
    return len(import_rows(path))


def import_rows(path: Path) -> list[Device]:
    """import_devices, answering the new devices in the file's order."""
    _, checked, errors = check_devices(path)
    if errors:
        raise row_problems(path.name, errors)
    made = {}
    # Rows with their own tags first, so a newly issued tag can never collide with one.
    for index, values in sorted(enumerate(checked), key=lambda pair: pair[1]["tag"] is None):
        values["tag"] = values["tag"] or next_tag()
        made[index] = Device(**values)
        moves.register(made[index])
        db.session.flush()
    return [made[index] for index in sorted(made)]


def export_rows() -> list[list[str]]:
    query = (
        sa.select(Device, DeviceType.code, Site.code, Room.name)
        .join(DeviceType)
        .outerjoin(Room, Device.room_id == Room.id)
        .outerjoin(Site)
        .order_by(Device.tag)
    )
    rows = [COLUMNS]
    for device, type_code, site_code, room_name in db.session.execute(query):
        rows.append(
            [
                device.tag,
                device.serial or "",
                type_code,
                site_code or "",
                room_name or "",
                device.status,
                device.install_date.isoformat() if device.install_date else "",
                device.notes or "",
            ]
        )
    return rows


def export_devices(path: Path | None) -> bytes | None:
    """Write CSV (or XLSX by extension) to path, or return CSV bytes when path is None."""
    rows = export_rows()
    if path is not None and path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        book = Workbook()
        for row in rows:
            book.active.append(xlsx_row(book.active, row))
        book.save(path)
        return None
    buffer = io.StringIO()
    csv.writer(buffer).writerows(csv_row(row) for row in rows)
    data = buffer.getvalue().encode("utf-8")
    if path is None:
        return data
    path.write_bytes(data)
    return None
