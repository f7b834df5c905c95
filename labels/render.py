"""Labels to bytes: a vector PDF sheet (QR as filled paths, font subset embedded) or a PNG per label."""

import math
import re
from functools import lru_cache
from io import BytesIO

from labels.errors import LabelError
from labels.fonts import FONT_NAME, pillow_font, reportlab_font
from labels.layout import PT, layout_label, module_size
from labels.model import LabelData, check_label
from labels.qr import QUIET_ZONE, ecc_level, encode
from labels.templates import Template, get_template

MM = 72 / 25.4  # points per millimetre
PNG_DPIS = (203, 300)
_DARK_RUN = re.compile("1+")


def resolve_template(template: Template | str) -> Template:
    """A Template as given, or the built-in one of that name."""
    if isinstance(template, str):
        return get_template(template)
    if not isinstance(template, Template):
        raise LabelError(
            f"template must be a labels.Template or a template name, got {type(template).__name__}"
        )
    return template


def _prepare(labels, template: Template, ecc: str | None, dpi: int | None):
    """Encode and lay out every label before anything is drawn, so bad input prints nothing."""
    ecc = ecc or template.ecc
    ecc_level(ecc)
    prepared = []
    for position, label in enumerate(labels):
        check_label(label, position)
        code = encode(label.url, ecc)
        layout = layout_label(label, template)
        prepared.append((label, code, layout, module_size(layout.qr_box, code.size, dpi)))
    if not prepared:
        raise LabelError("no labels selected: choose at least one device to print")
    return prepared


def render_pdf(labels, template: Template | str, ecc: str | None = None) -> bytes:
    """A PDF of labels laid out on template's grid, pages as needed; ecc defaults to the template's (M)."""
    from reportlab.pdfgen.canvas import Canvas

    template = resolve_template(template)
    prepared = _prepare(list(labels), template, ecc, template.printer_dpi)
    reportlab_font()
    out = BytesIO()
    canvas = Canvas(
        out,
        pagesize=(template.page_width * MM, template.page_height * MM),
        pageCompression=1,
        invariant=1,
        initialFontName=FONT_NAME,
    )
    canvas.setTitle(f"Device labels ({template.name}, {len(prepared)})")
    canvas.setCreator("xunjian labels")
    for index, (_label, code, layout, module) in enumerate(prepared):
        if index and index % template.per_page == 0:
            canvas.showPage()
        x0, y0 = template.label_origin(index)
        _draw_qr(canvas, code, layout.qr_box, module, x0, y0, template.page_height)
        _draw_text(canvas, layout.lines, x0, y0, template.page_height)
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _draw_qr(canvas, code, qr_box, module: float, x0: float, y0: float, page_height: float) -> None:
    """One filled path of merged dark runs, in module units under a scaling matrix: small and sharp."""
    total = module * (code.size + 2 * QUIET_ZONE)
    left = x0 + qr_box.x + QUIET_ZONE * module
    top = y0 + qr_box.y + (qr_box.height - total) / 2 + QUIET_ZONE * module
    bottom = page_height - (top + code.size * module)
    runs = _path_of(code)
    scale = module * MM
    canvas.addLiteral(
        f"q 0 g {scale:.4f} 0 0 {scale:.4f} {left * MM:.3f} {bottom * MM:.3f} cm {runs} f Q"
    )


def _path_of(code) -> str:
    """The `re` operators of every dark run, row by row, in module units (y up from the bottom).

    Each row is cut in bytes of 8 modules whose operators are cached per (height, byte slot,
    byte): a sheet of codes of one version repeats them (finder patterns, timing, and any 8
    modules of data seen before), so most rows are a few dictionary look-ups. A run crossing a
    byte edge becomes two touching rectangles of the same path: the filled area is the same."""
    size = code.size
    pad = -size % 8
    nbytes = (size + pad) // 8
    out = []
    for row, bits in enumerate(code.rows):
        y = size - 1 - row
        for slot, byte in enumerate((bits << pad).to_bytes(nbytes, "big")):
            if byte:
                out.append(_byte_runs(y, slot, byte))
    return " ".join(out)


@lru_cache(maxsize=65536)
def _byte_runs(y: int, slot: int, byte: int) -> str:
    return " ".join(
        f"{slot * 8 + m.start()} {y} {m.end() - m.start()} 1 re"
        for m in _DARK_RUN.finditer(format(byte, "08b"))
    )


def _draw_text(canvas, lines, x0: float, y0: float, page_height: float) -> None:
    for line in lines:
        canvas.setFont(FONT_NAME, line.size)
        canvas.drawString((x0 + line.x) * MM, (page_height - y0 - line.baseline) * MM, line.text)


def render_png(
    label: LabelData, template: Template | str, dpi: int = 203, ecc: str | None = None
) -> bytes:
    """One label as a grayscale PNG at dpi (203 or 300), QR modules a whole number of pixels."""
    from PIL import Image, ImageDraw

    template = resolve_template(template)
    if dpi not in PNG_DPIS:
        raise LabelError(f"PNG resolution {dpi!r} dpi is not supported: use 203 or 300")
    [(label, code, layout, module)] = _prepare([label], template, ecc, dpi)
    dot = 25.4 / dpi
    image = Image.new(
        "L", (round(template.label_width / dot), round(template.label_height / dot)), 255
    )
    pixels = round(module / dot)
    symbol = Image.frombytes(
        "L",
        (code.size, code.size),
        bytes(
            0 if bits >> (code.size - 1 - col) & 1 else 255
            for bits in code.rows
            for col in range(code.size)
        ),
    )
    symbol = symbol.resize((code.size * pixels, code.size * pixels), Image.Resampling.NEAREST)
    total = module * (code.size + 2 * QUIET_ZONE)
    left = math.ceil((layout.qr_box.x + QUIET_ZONE * module) / dot - 1e-6)
    top = math.ceil(
        (layout.qr_box.y + (layout.qr_box.height - total) / 2 + QUIET_ZONE * module) / dot - 1e-6
    )
    image.paste(symbol, (left, top))
    draw = ImageDraw.Draw(image)
    for line in layout.lines:
        font = pillow_font(
            max(1, math.floor(line.size * PT / dot))
        )  # floor: never wider than the layout
        draw.text((line.x / dot, line.baseline / dot), line.text, font=font, fill=0, anchor="ls")
    out = BytesIO()
    image.save(out, "PNG", dpi=(dpi, dpi))
    return out.getvalue()
