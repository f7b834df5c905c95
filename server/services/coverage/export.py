"""Coverage tables as CSV or XLSX: every row, no list limit."""

from __future__ import annotations

import csv
import io

from server.services.core import safe_cells
from server.services.coverage import details as coverage_details
from server.services.coverage import summary as coverage
from server.services.coverage.scope import Scope

SITE_COLUMNS = (
    "code",
    "name",
    "tier",
    "prefecture",
    "region_code",
    "planned",
    "engineer",
    "due_date",
    "visited",
    "visits",
    "last_visit",
    "expected",
    "inspected",
    "missing",
    "unexpected",
    "failed_items",
    "overdue",
    "state",
)
TABLES = ("sites", "missing", "unexpected", "never_inspected", "failed", "overdue")


def rows(scope: Scope, table: str) -> list[dict]:
    if table == "sites":
        return [{k: r[k] for k in SITE_COLUMNS} for r in coverage.summarise(scope)["sites"]]
    if table == "missing":
        return coverage_details.missing_devices(scope)
    if table == "unexpected":
        return coverage_details.unexpected_devices(scope)
    if table == "never_inspected":
        return coverage_details.never_inspected(scope)[1]
    if table == "failed":
        return coverage_details.failed_items(scope)
    return [
        {k: r[k] for k in ("code", "name", "prefecture", "last_visit_ever")}
        for r in coverage.summarise(scope)["sites"]
        if r["overdue"]
    ]


def _columns(table: str, data: list[dict]) -> list[str]:
    if data:
        return list(data[0])
    return list(SITE_COLUMNS) if table == "sites" else ["(none)"]


def to_csv(scope: Scope, table: str) -> bytes:
    data = rows(scope, table)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=_columns(table, data), lineterminator="\n")
    writer.writeheader()
    writer.writerows(safe_cells.csv_dict(row) for row in data)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(scope: Scope) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for table in TABLES:
        data = rows(scope, table)
        sheet = book.create_sheet(table)
        columns = _columns(table, data)
        sheet.append(safe_cells.xlsx_row(sheet, columns))
        for row in data:
            sheet.append(safe_cells.xlsx_row(sheet, [_cell(row.get(c)) for c in columns]))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(value):
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


def filename(scope: Scope, table: str) -> str:
    label = (scope.label or "range").replace("..", "_")
    return f"coverage-{label}-{table}"
