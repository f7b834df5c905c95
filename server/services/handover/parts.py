"""What goes into the package: an explicit list of part builders, run in order.

A part says how many progress steps it takes (`steps`) and writes its entries (`write`),
returning README lines (Chinese) that say what it added. Report PDFs and assessment events
join by adding a Part to PARTS (or to OPTIONAL_PARTS: a module that may not exist yet).
"""

from __future__ import annotations

import csv
import importlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from server.periods import Span, quarter_of, quarter_span
from server.services.core import safe_cells
from server.services.handover import tables
from server.services.handover.writer import PackageWriter


@dataclass
class Context:
    """What every part sees: the period, the open package, and the progress callback."""

    span: Span
    writer: PackageWriter
    report: Callable[[int, int], None]
    total: int = 0
    done: int = 0
    notes: list[str] = field(default_factory=list)  # README lines the parts add

    def step(self, count: int = 1) -> None:
        self.done += count
        # Every 50th photo, so 20,000 photos cost 400 progress writes, not 20,000.
        if count > 1 or self.done % 50 == 0 or self.done >= self.total:
            self.report(self.done, self.total)


@dataclass(frozen=True)
class Part:
    name: str
    steps: Callable[[Span], int]
    write: Callable[[Context], list[str]]


class _TextOut(io.TextIOBase):
    """Text to a byte entry, UTF-8: what csv.writer needs over a package stream."""

    def __init__(self, raw):
        self.raw = raw

    def write(self, text: str) -> int:
        self.raw.write(text.encode("utf-8"))
        return len(text)


def write_tables(ctx: Context) -> list[str]:
    """Every record table as CSV (UTF-8 with BOM, opens in Excel) and XLSX, one query pass."""
    lines = []
    for table in tables.TABLES:
        columns, rows = tables.rows(table, ctx.span)
        count = write_table(ctx, table.name, columns, rows)
        lines.append(f"data/{table.name}.csv / .xlsx：{table.title_zh}，{count} 行")
        ctx.step()
    return lines


def write_table(ctx: Context, name: str, columns: list[str], rows: Iterable) -> int:
    """One table as data/<name>.csv and .xlsx from an iterator of rows (each row goes to both
    files as it comes: nothing is held); answers the row count. Other parts use it too."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(name)
    sheet.append(_xlsx_row(sheet, columns))
    count = 0
    with ctx.writer.stream(f"data/{name}.csv") as raw:
        out = _TextOut(raw)
        out.write("\ufeff")
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow(safe_cells.csv_row(row))
            sheet.append(_xlsx_row(sheet, row))
            count += 1
    fd, temp = tempfile.mkstemp(suffix=".xlsx", dir=ctx.writer.path.parent)
    os.close(fd)
    try:
        book.save(temp)
        ctx.writer.add_file(f"data/{name}.xlsx", Path(temp), compress=False)
    finally:
        os.unlink(temp)
    return count


def _xlsx_row(sheet, values) -> list:
    """safe_cells.xlsx_row for a write-only sheet, which needs each cell's column set."""
    cells = safe_cells.xlsx_row(sheet, values)
    for column, cell in enumerate(cells, 1):
        cell.column = column
    return cells


def _quarters(span: Span) -> list[Span]:
    """The quarters the period touches, each clipped to the period."""
    clipped = []
    for index in range(quarter_of(span.first), quarter_of(span.after - timedelta(days=1)) + 1):
        quarter = quarter_span(index // 4, index % 4 + 1)
        start, after = max(quarter.first, span.first), min(quarter.after, span.after)
        if start < after:
            clipped.append(Span(quarter.label, start, after))
    return clipped


def quarter_steps(span: Span) -> int:
    return len(_quarters(span))


def write_coverage(ctx: Context) -> list[str]:
    """Coverage of each quarter in the period: the per-bureau table (CSV) and all tables (XLSX)."""
    from server.services.coverage import export as coverage_export
    from server.services.coverage import summary as coverage

    lines = []
    for quarter in _quarters(ctx.span):
        scope = coverage.Scope(quarter.first, quarter.after, "quarterly", label=quarter.label)
        ctx.writer.add_bytes(
            f"coverage/{quarter.label}-sites.csv", coverage_export.to_csv(scope, "sites")
        )
        ctx.writer.add_bytes(
            f"coverage/{quarter.label}.xlsx", coverage_export.to_xlsx(scope), False
        )
        last = quarter.after - timedelta(days=1)
        lines.append(
            f"coverage/{quarter.label}-sites.csv / {quarter.label}.xlsx："
            f"{quarter.first}..{last} 的抽样巡检覆盖（按点位；XLSX 含全部明细表）"
        )
        ctx.step()
    return lines


PARTS: list[Part] = [
    Part("tables", lambda span: len(tables.TABLES), write_tables),
    Part("coverage", quarter_steps, write_coverage),
]


def photo_part() -> Part:
    from server.services.handover import photos

    return Part("photos", photos.count, photos.write)


def optional_parts() -> list[Part]:
    """Parts of modules other issues add (assessment events, report PDFs): each such module
    exposes `handover_part() -> Part`; a module not there yet is said in the README."""
    found = []
    for module_name, title in OPTIONAL_PARTS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name and not module_name.startswith(exc.name):
                raise  # the module exists but something it imports does not: a real error
            found.append(Part(module_name, lambda span: 0, _absent(title)))
            continue
        found.append(module.handover_part())
    return found


def _absent(title: str):
    def write(ctx: Context) -> list[str]:
        return [f"{title}：本版本尚未提供，未包含在本包中。"]

    return write


OPTIONAL_PARTS = (
    ("server.services.assessment.handover", "考核事件（assessment events）"),
    ("server.services.reports.handover", "报告 PDF（月度巡检、季度抽样、故障与 SLA、考核表）"),
    ("server.services.reports.meetings_handover", "会议保障资料（会议、检查、异常、登记表）"),
    ("server.services.evidence.handover", "存证链每日锚点（evidence anchors）"),
)


def all_parts() -> list[Part]:
    return [*PARTS, *optional_parts(), photo_part()]
