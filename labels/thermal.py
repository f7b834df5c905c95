"""Direct thermal printing: TSPL (TSC and most desktop label printers) and ZPL (Zebra) jobs.

The same layout as the PDF/PNG: the QR is the printer's own command (TSPL QRCODE, ZPL ^BQ) with
the same data, error correction and a module of whole printer dots, so it prints sharp; every text
line is a 1-bit bitmap rendered at the printer's dpi (TSPL BITMAP, ZPL ^GFA), since printer fonts
have no CJK. One page of the template is one printed label form; offsets apply as in the PDF.
"""

import math
from dataclasses import dataclass

from labels.bitmaps import Bitmap, calibration_bitmap, dots, text_bitmap
from labels.errors import LabelError
from labels.qr import QUIET_ZONE
from labels.render import _prepare, resolve_template

LANGUAGES = ("tspl", "zpl")
THERMAL_DPIS = (203, 300)
MAX_CELL = 10  # dots per module both languages accept (TSPL cell width, ZPL ^BQ magnification)
SUFFIXES = {"tspl": ".tspl", "zpl": ".zpl"}


@dataclass(frozen=True)
class QrField:
    """A native QR command: top-left of the first module (dots, no quiet zone), cell in dots."""

    x: int
    y: int
    cell: int
    ecc: str
    data: str


def _check(language: str, dpi: int) -> None:
    if language not in LANGUAGES:
        raise LabelError(
            f"printer language {language!r} is unknown: use tspl (TSC and most desktop label printers) or zpl (Zebra)"
        )
    if dpi not in THERMAL_DPIS:
        raise LabelError(f"printer resolution {dpi!r} dpi is not supported: use 203 or 300")


def _check_data(data: str) -> None:
    """Both languages take the data inside a quoted / ^FD field: refuse what would end it early."""
    if not data.isascii() or any(ch in data for ch in '"^~\r\n'):
        raise LabelError(
            f'QR data {data!r} has characters a printer command cannot carry (" ^ ~ or non-ASCII): '
            "use a plain https:// LABEL_URL_BASE"
        )


def _pages(labels, template, dpi: int, ecc: str | None):
    """Per page: the QR fields and text bitmaps of its labels, all checked before anything is emitted."""
    ecc = (ecc or template.ecc).upper()
    prepared = _prepare(list(labels), template, ecc, dpi)
    dot = 25.4 / dpi
    pages: list[tuple[list[QrField], list[Bitmap]]] = []
    for index, (label, code, layout, module) in enumerate(prepared):
        if index % template.per_page == 0:
            pages.append(([], []))
        _check_data(label.url)
        cell = min(MAX_CELL, round(module / dot))
        module = cell * dot
        x0, y0 = template.label_origin(index)
        total = module * (code.size + 2 * QUIET_ZONE)
        left = math.ceil(dots(x0 + layout.qr_box.x + QUIET_ZONE * module, dpi) - 1e-6)
        top = math.ceil(
            dots(
                y0 + layout.qr_box.y + (layout.qr_box.height - total) / 2 + QUIET_ZONE * module, dpi
            )
            - 1e-6
        )
        qrs, bitmaps = pages[-1]
        qrs.append(QrField(left, top, cell, ecc, label.url))
        bitmaps.extend(b for line in layout.lines if (b := text_bitmap(line, x0, y0, dpi)))
    return pages


def render_thermal(
    labels, template, language: str, dpi: int | None = None, ecc: str | None = None
) -> bytes:
    """A TSPL or ZPL job printing labels on template at dpi (default the template's, else 203)."""
    template = resolve_template(template)
    dpi = dpi or template.printer_dpi or 203
    _check(language, dpi)
    pages = _pages(labels, template, dpi, ecc)
    emit = _tspl_page if language == "tspl" else _zpl_page
    return _header(language, template) + b"".join(
        emit(template, dpi, qrs, bitmaps) for qrs, bitmaps in pages
    )


def calibration_thermal(template, language: str, dpi: int | None = None) -> bytes:
    """The calibration page (outlines with offsets applied, rulers) as a job for the printer itself."""
    template = resolve_template(template)
    dpi = dpi or template.printer_dpi or 203
    _check(language, dpi)
    emit = _tspl_page if language == "tspl" else _zpl_page
    return _header(language, template) + emit(
        template, dpi, [], [calibration_bitmap(template, dpi)]
    )


def _header(language: str, template) -> bytes:
    if language == "zpl":
        return b""
    gap = f"GAP {template.liner_gap:g} mm,0 mm" if template.liner_gap else "GAP 0,0"
    return _lines(
        f"SIZE {template.page_width:g} mm,{template.page_height:g} mm",
        gap,
        f"DIRECTION {0 if template.upside_down else 1},0",
        "REFERENCE 0,0",
        "OFFSET 0 mm",
        "SET TEAR ON",
    )


def _lines(*lines: str) -> bytes:
    return "".join(line + "\r\n" for line in lines).encode("ascii")


def _tspl_page(template, dpi: int, qrs: list[QrField], bitmaps: list[Bitmap]) -> bytes:
    """CLS, the bitmaps (TSPL: a 0 bit prints), the QR codes, PRINT 1."""
    out = [_lines("CLS")]
    for b in bitmaps:
        inverted = bytes(byte ^ 0xFF for byte in b.data)
        out.append(
            f"BITMAP {b.x},{b.y},{b.row_bytes},{b.height},0,".encode("ascii") + inverted + b"\r\n"
        )
    for q in qrs:
        out.append(_lines(f'QRCODE {q.x},{q.y},{q.ecc},{q.cell},A,0,M2,"{q.data}"'))
    out.append(_lines("PRINT 1,1"))
    return b"".join(out)


def _zpl_page(template, dpi: int, qrs: list[QrField], bitmaps: list[Bitmap]) -> bytes:
    """^XA, label width/length, the ^GFA bitmaps (a 1 bit prints), the ^BQ codes, ^XZ."""
    media = "^MNY" if template.liner_gap else "^MNN"  # gap sensing, or continuous media
    out = [
        "^XA",
        f"^PW{round(dots(template.page_width, dpi))}",
        f"^LL{round(dots(template.page_height, dpi))}",
        media,
        "^LH0,0",
        "^POI" if template.upside_down else "^PON",
    ]
    for b in bitmaps:
        total = b.row_bytes * b.height
        out.append(f"^FO{b.x},{b.y}^GFA,{total},{total},{b.row_bytes},{b.data.hex().upper()}^FS")
    for q in qrs:
        out.append(f"^FO{q.x},{q.y}^BQN,2,{q.cell}^FD{q.ecc}A,{q.data}^FS")
    out.append("^PQ1")
    out.append("^XZ")
    return _lines(*out)
