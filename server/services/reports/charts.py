"""Hand-written SVG charts for the report documents: the same bars, stacked bands, lines with a
target and horizontal bars as the dashboard's pwa/static/core/charts.js (same palette, sizes
and layout), as inline SVG strings that WeasyPrint draws and the browser preview shows.

Every word is passed in already written; every mark carries a class (`bar`, `point`,
`target`) so a test can count them. No ids: several charts share one page.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

from markupsafe import Markup

PALETTE = ["#1565c0", "#2e7d32", "#ef6c00", "#c62828", "#6a1b9a", "#00838f", "#5d4037"]
LEGEND_STEP = 100  # room for a swatch and about seven characters


def nice_max(value: float) -> float:
    """A round upper bound for an axis: 1, 2, 5 x 10^n at or above the value (at least 1)."""
    if not value or value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def _esc(value) -> str:
    return escape("" if value is None else str(value))


def _num(value: float) -> str:
    return f"{value:.1f}"


def _count(value) -> str:
    return str(round(value or 0))


def _frame(title: str, desc: str, width: float, height: float) -> tuple[str, str]:
    return (
        f'<svg class="xj-chart" role="img" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{_esc(title)}</title>'
        f"<desc>{_esc(desc)}</desc>",
        "</svg>",
    )


def _tip(label, series: dict, value: str) -> str:
    return _esc(f"{label} {series['name']}: {value}")


def _per_row(width: float) -> int:
    return max(1, int((width - 8) // LEGEND_STEP))


def _colour(series: dict, index: int) -> str:
    return series.get("color") or PALETTE[index % len(PALETTE)]


def _legend(series: Sequence[dict], y: float, width: float) -> str:
    out = []
    for i, s in enumerate(series):
        x = 4 + (i % _per_row(width)) * LEGEND_STEP
        row = y + (i // _per_row(width)) * 16
        out.append(
            f'<g class="legend"><rect x="{x}" y="{row - 9}" width="10" height="10" '
            f'fill="{_colour(s, i)}"/><text x="{x + 14}" y="{row}" font-family="XJ Report" font-size="12">'
            f"{_esc(s['name'])}</text></g>"
        )
    return "".join(out)


def _legend_rows(series: Sequence[dict], width: float) -> int:
    return math.ceil(len(series) / _per_row(width))


def _y_axis(top_value, top, bottom, left, right, fmt: Callable) -> str:
    # The middle line only when it reads differently from both ends (no "0, 1, 1" for a max of 1).
    ends = {fmt(0), fmt(top_value)}
    ticks = [f for f in (0, 0.5, 1) if f != 0.5 or fmt(top_value / 2) not in ends]
    out = []
    for f in ticks:
        y = bottom - f * (bottom - top)
        out.append(
            f'<line x1="{left}" x2="{_num(right)}" y1="{_num(y)}" y2="{_num(y)}" stroke="#ccc" '
            f'stroke-width="0.5"/><text x="{left - 4}" y="{_num(y + 4)}" font-family="XJ Report" font-size="12" '
            f'text-anchor="end">{_esc(fmt(top_value * f))}</text>'
        )
    return "".join(out)


def bar_chart(title, labels, series, *, desc="", stacked=False, fmt=_count, max_value=None):
    """Vertical bars per label: series side by side, or stacked (the response-time bands)."""
    width = max(320, 40 + len(labels) * (26 if stacked else 14 + 10 * len(series)))
    top, bottom, left = 16 + 16 * _legend_rows(series, width), 170, 38
    right = width - 6
    values = [[v or 0 for v in s["values"]] for s in series]
    totals = [
        sum(v[i] for v in values) if stacked else max([0, *(v[i] for v in values)])
        for i in range(len(labels))
    ]
    top_value = max_value if max_value is not None else nice_max(max([0, *totals]))
    slot = (right - left) / max(1, len(labels))
    bar_w = slot * 0.7 if stacked else slot * 0.8 / max(1, len(series))
    opening, closing = _frame(title, desc, width, bottom + 22)
    marks = []
    for i, label in enumerate(labels):
        base = bottom
        for k, s in enumerate(series):
            v = values[k][i]
            h = v / top_value * (bottom - top)
            x = left + i * slot + (slot * 0.15 if stacked else slot * 0.1 + k * bar_w)
            y = base - h if stacked else bottom - h
            if stacked:
                base -= h
            marks.append(
                f'<rect class="bar" x="{_num(x)}" y="{_num(y)}" width="{_num(bar_w)}" '
                f'height="{_num(h)}" fill="{_colour(s, k)}" data-value="{v}">'
                f"<title>{_tip(label, s, fmt(v))}</title></rect>"
            )
        marks.append(
            f'<text x="{_num(left + (i + 0.5) * slot)}" y="{bottom + 14}" font-family="XJ Report" font-size="12" '
            f'text-anchor="middle">{_esc(label)}</text>'
        )
    axis = _y_axis(top_value, top, bottom, left, right, fmt)
    return Markup(opening + _legend(series, 12, width) + axis + "".join(marks) + closing)


def line_chart(
    title, labels, series, *, desc="", fmt=str, max_value=None, target=None, target_name=""
):
    """Lines over the labels (None leaves a gap), a dashed reference line at `target`."""
    width = max(320, 40 + len(labels) * 26)
    top, bottom, left = 16 + 16 * _legend_rows(series, width), 170, 38
    right = width - 6
    known = [v for s in series for v in s["values"] if v is not None]
    top_value = max_value if max_value is not None else nice_max(max([0, *known]))
    slot = (right - left) / max(1, len(labels))

    def x_of(i):
        return left + (i + 0.5) * slot

    def y_of(v):
        return bottom - v / top_value * (bottom - top)

    opening, closing = _frame(title, desc, width, bottom + 22)
    lines = []
    for k, s in enumerate(series):
        path, pen, dots = [], False, []
        for i, v in enumerate(s["values"]):
            if v is None:
                pen = False
                continue
            path.append(f"{'L' if pen else 'M'}{_num(x_of(i))} {_num(y_of(v))}")
            pen = True
            dots.append(
                f'<circle class="point" cx="{_num(x_of(i))}" cy="{_num(y_of(v))}" r="3" '
                f'fill="{_colour(s, k)}" data-value="{v}">'
                f"<title>{_tip(labels[i], s, fmt(v))}</title></circle>"
            )
        if path:
            lines.append(
                f'<path d="{" ".join(path)}" fill="none" stroke="{_colour(s, k)}" stroke-width="2"/>'
            )
        lines.extend(dots)
    ref = ""
    if target is not None:
        y = _num(y_of(target))
        ref = (
            f'<line class="target" x1="{left}" x2="{_num(right)}" y1="{y}" y2="{y}" '
            f'stroke="#c62828" stroke-dasharray="4 3"><title>{_esc(f"{target_name} {fmt(target)}")}'
            "</title></line>"
        )
    axis = "".join(
        f'<text x="{_num(x_of(i))}" y="{bottom + 14}" font-family="XJ Report" font-size="12" text-anchor="middle">'
        f"{_esc(label)}</text>"
        for i, label in enumerate(labels)
    )
    y_axis = _y_axis(top_value, top, bottom, left, right, fmt)
    return Markup(
        opening + _legend(series, 12, width) + y_axis + ref + "".join(lines) + axis + closing
    )


def hbar_chart(title, labels, series, *, desc="", fmt=str, max_value=None):
    """Horizontal bars, one row per label (a prefecture), one thin bar per series."""
    width, label_w, row_h = 360, 140, 8 + 7 * len(series)
    top = 10 + 16 * _legend_rows(series, width)
    height = top + len(labels) * row_h + 18
    known = [v or 0 for s in series for v in s["values"]]
    top_value = max_value if max_value is not None else nice_max(max([0, *known]))
    span = width - label_w - 40
    opening, closing = _frame(title, desc, width, height)
    rows = []
    for i, label in enumerate(labels):
        y0 = top + i * row_h
        for k, s in enumerate(series):
            v = s["values"][i] or 0
            rows.append(
                f'<rect class="bar" x="{label_w}" y="{y0 + 3 + k * 7}" '
                f'width="{_num(v / top_value * span)}" height="6" fill="{_colour(s, k)}" '
                f'data-value="{v}"><title>{_tip(label, s, fmt(v))}</title></rect>'
            )
        rows.append(
            f'<text x="{label_w - 4}" y="{_num(y0 + row_h / 2 + 4)}" font-family="XJ Report" font-size="11" '
            f'text-anchor="end">{_esc(label)}</text>'
        )
    ticks = "".join(
        f'<text x="{_num(label_w + f * span)}" y="{height - 4}" font-family="XJ Report" font-size="12" '
        f'text-anchor="middle">{_esc(fmt(top_value * f))}</text>'
        for f in (0, 0.5, 1)
    )
    return Markup(opening + _legend(series, 12, width) + "".join(rows) + ticks + closing)
