"""1-bit bitmaps at a printer's dpi: text lines (printer fonts lack CJK) and the calibration page."""

import math
from dataclasses import dataclass

from labels.fonts import pillow_font
from labels.layout import PT
from labels.templates import Template

THRESHOLD = 128  # grey levels below this print: the antialiased edge keeps the glyph's weight
_INK = [255 if v < THRESHOLD else 0 for v in range(256)]


@dataclass(frozen=True)
class Bitmap:
    """A 1-bit image placed at (x, y) dots: rows packed MSB first, 1 = a printed dot, rows padded
    to whole bytes (the padding bits are 0)."""

    x: int
    y: int
    width: int
    height: int
    data: bytes

    @property
    def row_bytes(self) -> int:
        return (self.width + 7) // 8


def dots(mm: float, dpi: int) -> float:
    return mm * dpi / 25.4


def font_pixels(size_pt: float, dpi: int) -> int:
    """Pixels per em for a size in points at dpi; floor, as the PNG does, so text never outgrows its box."""
    return max(1, math.floor(size_pt * PT * dpi / 25.4))


def _packed(gray, x: int, y: int) -> Bitmap | None:
    """Threshold a grey image into a Bitmap cropped to its ink; None when nothing prints."""
    ink = gray.point(_INK, mode="1")
    box = ink.getbbox()
    if box is None:
        return None
    ink = ink.crop(box)
    return Bitmap(x + box[0], y + box[1], ink.width, ink.height, ink.tobytes())


def text_bitmap(line, x0: float, y0: float, dpi: int) -> Bitmap | None:
    """One layout TextLine (mm) on a label whose top-left is (x0, y0) mm on the page."""
    from PIL import Image, ImageDraw

    left = round(dots(x0 + line.x, dpi))
    top = math.floor(dots(y0 + line.box.y, dpi))
    baseline = dots(y0 + line.baseline, dpi) - top
    width = math.ceil(dots(line.box.width, dpi)) + 2
    height = math.ceil(dots(line.box.height, dpi)) + 2
    gray = Image.new("L", (width, height), 255)
    ImageDraw.Draw(gray).text(
        (0, baseline), line.text, font=pillow_font(font_pixels(line.size, dpi)), fill=0, anchor="ls"
    )
    return _packed(gray, left, top)


def calibration_bitmap(template: Template, dpi: int) -> Bitmap:
    """The calibration page (labels.calibration_pdf's drawing) as one page-sized bitmap."""
    from PIL import Image, ImageDraw

    page = Image.new(
        "L", (round(dots(template.page_width, dpi)), round(dots(template.page_height, dpi))), 255
    )
    draw = ImageDraw.Draw(page)
    line = max(1, round(dots(0.3, dpi)))
    small = font_pixels(max(3.0, min(6.0, template.label_height * 0.16)), dpi)
    for index in range(template.per_page):
        x, y = template.label_origin(index)
        w, h, pad = template.label_width, template.label_height, template.padding
        box = [dots(v, dpi) for v in (x, y, x + w, y + h)]
        draw.rectangle(box, outline=0, width=line)
        _dashed_rect(
            draw, [dots(v, dpi) for v in (x + pad, y + pad, x + w - pad, y + h - pad)], dpi
        )
        cx, cy = dots(x + w / 2, dpi), dots(y + h / 2, dpi)
        arm = dots(2, dpi)
        draw.line([cx - arm, cy, cx + arm, cy], fill=0, width=line)
        draw.line([cx, cy - arm, cx, cy + arm], fill=0, width=line)
        draw.text(
            (cx + dots(1, dpi), cy - dots(1, dpi)),
            str(index + 1),
            font=pillow_font(small),
            fill=0,
            anchor="ls",
        )
    _rulers(draw, template, dpi)
    notes = (
        f"{template.name}  offset x {template.offset_x:+g} mm, y {template.offset_y:+g} mm",
        f"{dpi} dpi 热敏直接打印",
    )
    y = dots(6, dpi)
    for note in notes:
        font = pillow_font(small)
        width = draw.textlength(note, font=font)
        limit = dots(template.page_width - 10, dpi)
        if width > limit:  # shrink to the page width minus the rulers, as the PDF does
            font = pillow_font(max(1, int(small * limit / width)))
        draw.text((page.width / 2, y), note, font=font, fill=0, anchor="ms")
        y += font.size * 1.2
    return _packed(page, 0, 0)


def _dashed_rect(draw, box, dpi: int) -> None:
    """The printable area inside the padding, dashed 1 mm on, 2 mm off as in the PDF."""
    left, top, right, bottom = box
    on, period = dots(1, dpi), dots(3, dpi)
    for a, b, fixed, horizontal in (
        (left, right, top, True),
        (left, right, bottom, True),
        (top, bottom, left, False),
        (top, bottom, right, False),
    ):
        start = a
        while start < b:
            end = min(start + on, b)
            points = [start, fixed, end, fixed] if horizontal else [fixed, start, fixed, end]
            draw.line(points, fill=0, width=1)
            start += period


def _rulers(draw, template: Template, dpi: int) -> None:
    """Millimetre rulers along the top and left page edges; they ignore offsets (they measure drift)."""
    font = pillow_font(font_pixels(3.5, dpi))
    for mm in range(0, int(template.page_width) + 1):
        length = 3 if mm % 10 == 0 else 2 if mm % 5 == 0 else 1
        draw.line([dots(mm, dpi), 0, dots(mm, dpi), dots(length, dpi)], fill=0, width=1)
        if mm % 10 == 0 and mm:
            draw.text((dots(mm, dpi), dots(4.5, dpi)), str(mm), font=font, fill=0, anchor="ms")
    for mm in range(0, int(template.page_height) + 1):
        length = 3 if mm % 10 == 0 else 2 if mm % 5 == 0 else 1
        draw.line([0, dots(mm, dpi), dots(length, dpi), dots(mm, dpi)], fill=0, width=1)
        if mm % 10 == 0 and mm:
            draw.text(
                (dots(3.5, dpi), dots(mm + 0.6, dpi)), str(mm), font=font, fill=0, anchor="ls"
            )
