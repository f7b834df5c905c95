"""Where everything goes on one label, in millimetres from the label's top-left corner (y down).

One layout feeds both the PDF and the PNG renderer, so tests check boxes here rather than in output files.
Text is shrunk first (while wrapping up to a few lines), and only at the smallest size is a line cut
with "…"; no box ever leaves the label's padding or enters the QR code's box (quiet zone included).
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from labels.errors import LabelError
from labels.fonts import char_width, text_width, vertical_metrics
from labels.model import LabelData
from labels.qr import QUIET_ZONE
from labels.templates import Template

PT = 25.4 / 72  # millimetres per point
ELLIPSIS = "…"
QR_GAP = 0.5  # mm between the QR box and the text column, on top of the quiet zone
MAX_QR_SHARE = 0.55  # of the inner width, so the text column keeps room for the type name
MIN_MODULE_MM = 0.25  # below this a cheap phone camera struggles; refuse rather than print
_TOKENS = re.compile(r"[A-Za-z0-9]+[-_/.:,;)）]*|\s+|.")


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height

    def overlaps(self, other: "Box") -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )

    def contains(self, other: "Box", tolerance: float = 1e-6) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.bottom <= self.bottom + tolerance
        )


@dataclass(frozen=True)
class TextLine:
    """One line of text: x and baseline in mm, size in points, box = advance width x (ascent + descent)."""

    role: str
    text: str
    x: float
    baseline: float
    size: float
    box: Box


@dataclass(frozen=True)
class LabelLayout:
    inner: Box  # the label minus its padding: every text box stays inside
    qr_box: Box  # the square reserved for the code and its quiet zone
    lines: tuple[TextLine, ...]


@dataclass(frozen=True)
class _Item:
    role: str
    text: str
    max_size: float  # points
    min_size: float
    max_lines: int


def layout_label(label: LabelData, template: Template) -> LabelLayout:
    """Boxes for the QR code and every text line of label on template."""
    pad = template.padding
    inner = Box(pad, pad, template.label_width - 2 * pad, template.label_height - 2 * pad)
    body = _clamp(template.label_height * 0.2, 5.0, 9.0)
    footer_items = [
        _Item(role, text, body, 4.5, 1)
        for role, text in (("owner", label.owner_line), ("support", label.support_line))
        if text.strip()
    ]
    footer_height = sum(_line_height(item.max_size) for item in footer_items)
    top_height = inner.height - footer_height - (QR_GAP if footer_items else 0)
    side = min(top_height, inner.width * MAX_QR_SHARE)
    qr_box = Box(inner.x, inner.y + (top_height - side) / 2, side, side)
    column = Box(qr_box.right + QR_GAP, inner.y, inner.right - qr_box.right - QR_GAP, top_height)
    place = " · ".join(part.strip() for part in (label.site_name, label.room_name) if part.strip())
    column_items = [
        _Item("tag", label.tag, _clamp(template.label_height * 0.42, 9.0, 20.0), 7.0, 1),
        _Item("type", label.type_name, body, 4.5, 3),
        _Item("model", label.model, body, 4.5, 3),
        _Item("place", place, body * 0.9, 4.5, 3),
    ]
    column_items = [item for item in column_items if item.text.strip()]
    lines = _fit_block(column_items, column, label) + _fit_block(
        footer_items, Box(inner.x, inner.bottom - footer_height, inner.width, footer_height), label
    )
    return LabelLayout(inner=inner, qr_box=qr_box, lines=tuple(lines))


def module_size(qr_box: Box, modules: int, dpi: int | None = None) -> float:
    """Module size in mm so modules plus quiet zone fit the box; whole printer dots when dpi is given."""
    module = qr_box.width / (modules + 2 * QUIET_ZONE)
    if dpi:
        dot = 25.4 / dpi
        module = int(module / dot + 1e-9) * dot
    if module < MIN_MODULE_MM:
        raise LabelError(
            f"the QR code needs {modules} modules but the label leaves {qr_box.width:.1f} mm for it"
            f"{f' at {dpi} dpi' if dpi else ''}: use a bigger template or a shorter LABEL_URL_BASE"
        )
    return module


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _line_height(size: float) -> float:
    ascent, descent = vertical_metrics()
    return (ascent + descent) * size * PT


def _fit_block(items: list[_Item], area: Box, label: LabelData) -> list[TextLine]:
    """Fit items in area: each shrinks until it wraps within its line limit, then all shrink together
    until the block is short enough; only text that cannot fit at minimum size is cut with …."""
    if not items:
        return []
    own = [_largest_size(item, area.width) for item in items]
    for step in range(41):
        scale = 1 - step * 0.025
        sizes = [max(item.min_size, size * scale) for item, size in zip(items, own)]
        wrapped = [
            _ellipsize(item.text, area.width, size, item.max_lines)
            for item, size in zip(items, sizes)
        ]
        if _height(wrapped, sizes) <= area.height + 1e-9:
            return _place(items, wrapped, sizes, area)
        if all(size == item.min_size for item, size in zip(items, sizes)):
            break
    caps = [len(lines) for lines in wrapped]
    while True:
        longest = max(range(len(items)), key=lambda i: (caps[i], -i))
        if caps[longest] <= 1:
            raise LabelError(
                f"label for tag {label.tag}: the text does not fit even at {min(sizes):g} pt; "
                "use a bigger template or shorter owner/support lines"
            )
        caps[longest] -= 1
        wrapped = [
            _ellipsize(item.text, area.width, size, cap)
            for item, size, cap in zip(items, sizes, caps)
        ]
        if _height(wrapped, sizes) <= area.height + 1e-9:
            return _place(items, wrapped, sizes, area)


@lru_cache(maxsize=4096)
def _largest_size(item: _Item, width: float) -> float:
    """The largest size, in 0.25 pt steps from max to min, at which item wraps within its line limit."""
    size = item.max_size
    while size > item.min_size:
        if len(_wrap(item.text, width, size)) <= item.max_lines:
            return size
        size -= 0.25
    return item.min_size


def _height(wrapped: list[list[str]], sizes: list[float]) -> float:
    return sum(len(lines) * _line_height(size) for lines, size in zip(wrapped, sizes))


def _place(items, wrapped, sizes, area: Box) -> list[TextLine]:
    ascent, _ = vertical_metrics()
    out, y = [], area.y
    for item, lines, size in zip(items, wrapped, sizes):
        height = _line_height(size)
        for text in lines:
            width = text_width(text) * size * PT
            out.append(
                TextLine(
                    item.role,
                    text,
                    area.x,
                    y + ascent * size * PT,
                    size,
                    Box(area.x, y, width, height),
                )
            )
            y += height
    return out


@lru_cache(maxsize=16384)
def _wrap(text: str, width: float, size: float) -> tuple[str, ...]:
    """Greedy line breaking: between CJK characters, after spaces and after -/.; long words split anywhere.

    Cached: a batch repeats the same type, model and place names on hundreds of labels."""
    limit = width / (size * PT)  # in ems
    lines, line, used = [], "", 0.0
    for token in _tokens(" ".join(text.split())):
        token_width = text_width(token)
        if used + token_width <= limit:
            line, used = line + token, used + token_width
            continue
        if line.strip():
            lines.append(line.rstrip())
        line, used = "", 0.0
        token = token.lstrip()
        for char in token:  # a token wider than the line is split anywhere
            w = char_width(char)
            if used + w > limit and line:
                lines.append(line)
                line, used = "", 0.0
            line, used = line + char, used + w
    if line.strip():
        lines.append(line.rstrip())
    return tuple(lines)


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[str, ...]:
    return tuple(_TOKENS.findall(text))


def _ellipsize(text: str, width: float, size: float, max_lines: int) -> list[str]:
    lines = list(_wrap(text, width, size))
    if len(lines) <= max_lines:
        return lines
    kept = lines[: max_lines - 1]
    rest = _rest_after(text, kept)
    limit = width / (size * PT) - char_width(ELLIPSIS)
    cut, used = "", 0.0
    for char in rest:
        used += char_width(char)
        if used > limit:
            break
        cut += char
    return kept + [cut.rstrip() + ELLIPSIS]


def _rest_after(text: str, kept: list[str]) -> str:
    """The text left after the characters of the kept lines (line breaks dropped spaces only)."""
    flat = " ".join(text.split())
    pos = 0
    for line in kept:
        pos = flat.index(line, pos) + len(line)
    return flat[pos:].lstrip()
