"""A calibration page: label outlines where the template puts them (offsets applied) and mm rulers."""

from io import BytesIO

from labels.fonts import FONT_NAME, reportlab_font, text_width
from labels.render import MM, resolve_template
from labels.templates import Template


def calibration_pdf(template: Template | str) -> bytes:
    """One page to print on the real stock: compare the outlines with the die-cut labels, read the
    drift on the rulers, and store it as the template's offset_x / offset_y."""
    from reportlab.pdfgen.canvas import Canvas

    template = resolve_template(template)
    reportlab_font()
    out = BytesIO()
    page_w, page_h = template.page_width, template.page_height
    canvas = Canvas(
        out,
        pagesize=(page_w * MM, page_h * MM),
        pageCompression=1,
        invariant=1,
        initialFontName=FONT_NAME,
    )
    canvas.setTitle(f"Calibration page ({template.name})")
    canvas.setCreator("xunjian labels")
    small = max(3.0, min(6.0, template.label_height * 0.16))
    for index in range(template.per_page):
        _outline(canvas, template, index, small)
    _rulers(canvas, page_w, page_h)
    notes = (
        f"{template.name}  offset x {template.offset_x:+g} mm, y {template.offset_y:+g} mm",
        "打印选实际大小 100%，不缩放",
        "print at actual size, no scaling",
    )
    y = page_h - 6
    for note in notes:  # shrunk to the page width minus the rulers, so it also fits a 40 mm roll
        size = min(small, (page_w - 10) * MM / text_width(note))
        canvas.setFont(FONT_NAME, size)
        canvas.drawCentredString(page_w / 2 * MM, y * MM, note)
        y -= size / MM * 1.2
    canvas.showPage()
    canvas.save()
    return out.getvalue()


def _outline(canvas, template: Template, index: int, size: float) -> None:
    """Label outline (solid), printable area inside the padding (dashed), centre cross and slot number."""
    x, y = template.label_origin(index)
    w, h, pad = template.label_width, template.label_height, template.padding
    page_h = template.page_height
    canvas.setLineWidth(0.3)
    canvas.setDash()
    canvas.rect(x * MM, (page_h - y - h) * MM, w * MM, h * MM)
    canvas.setDash(1, 2)
    canvas.rect((x + pad) * MM, (page_h - y - h + pad) * MM, (w - 2 * pad) * MM, (h - 2 * pad) * MM)
    canvas.setDash()
    cx, cy = (x + w / 2) * MM, (page_h - y - h / 2) * MM
    canvas.line(cx - 2 * MM, cy, cx + 2 * MM, cy)
    canvas.line(cx, cy - 2 * MM, cx, cy + 2 * MM)
    canvas.setFont(FONT_NAME, size)
    canvas.drawString(cx + 1 * MM, cy + 1 * MM, str(index + 1))


def _rulers(canvas, page_w: float, page_h: float) -> None:
    """Millimetre rulers along the top and left page edges, ignoring offsets: they measure the drift."""
    canvas.setLineWidth(0.2)
    canvas.setFont(FONT_NAME, 3.5)
    for mm in range(0, int(page_w) + 1):
        length = 3 if mm % 10 == 0 else 2 if mm % 5 == 0 else 1
        canvas.line(mm * MM, page_h * MM, mm * MM, (page_h - length) * MM)
        if mm % 10 == 0 and mm:
            canvas.drawCentredString(mm * MM, (page_h - 4.5) * MM, str(mm))
    for mm in range(0, int(page_h) + 1):
        length = 3 if mm % 10 == 0 else 2 if mm % 5 == 0 else 1
        canvas.line(0, (page_h - mm) * MM, length * MM, (page_h - mm) * MM)
        if mm % 10 == 0 and mm:
            canvas.drawString(3.5 * MM, (page_h - mm - 0.6) * MM, str(mm))
