"""Exported spreadsheet cells that cannot become formulas (CSV and XLSX "formula injection").

Every file the server or the CLI exports writes its cells through this module. A text that
begins with one of OWASP's trigger characters would be run by Excel or WPS as a formula
(`=HYPERLINK(...)` in a result note, a display name or a device note):
- in CSV such a text gets a leading apostrophe, which spreadsheets show and never evaluate;
  `csv_unescape` takes it off again, so an exported device list imports back unchanged;
- in XLSX the text is kept exactly, written as a string cell with Excel's quote prefix, so
  no formula is stored and editing the cell does not turn it into one.
"""

from __future__ import annotations

# OWASP's list (= + - @ tab CR), LF, and the full-width forms a Chinese input method types,
# which WPS and Excel in Chinese locales also accept as the start of a formula.
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")
QUOTE = "'"


def needs_quote(text: str) -> bool:
    """True when a CSV cell holding this text must be prefixed with an apostrophe.

    A text that already starts with an apostrophe before a trigger is quoted too, so that
    csv_unescape(csv_value(x)) == x for every text.
    """
    if text.startswith(TRIGGERS):
        return True
    return text.startswith(QUOTE) and needs_quote(text[1:])


def csv_value(value):
    """One CSV cell: texts that could start a formula get a leading apostrophe."""
    if isinstance(value, str) and needs_quote(value):
        return QUOTE + value
    return value


def csv_row(values) -> list:
    return [csv_value(v) for v in values]


def csv_dict(row: dict) -> dict:
    return {k: csv_value(v) for k, v in row.items()}


def csv_unescape(text: str) -> str:
    """The text a csv_value() cell was made from (used when a CSV file is imported)."""
    if text.startswith(QUOTE) and needs_quote(text[1:]):
        return text[1:]
    return text


def xlsx_row(sheet, values) -> list:
    """Cells for sheet.append(): every text is a string cell, never a formula."""
    from openpyxl.cell.cell import Cell

    cells = []
    for value in values:
        cell = Cell(sheet, value=value)
        if isinstance(value, str) and cell.data_type != "s":
            # openpyxl makes any text starting with "=" a formula; store it as the text it is.
            cell.data_type = "s"
        if isinstance(value, str) and value.startswith(TRIGGERS):
            cell.quotePrefix = True
        cells.append(cell)
    return cells
