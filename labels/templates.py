"""Label templates: page and grid geometry in millimetres, loaded from data and validated."""

import json
import math
from dataclasses import dataclass, fields, replace
from pathlib import Path

from labels.errors import LabelError
from labels.qr import ECC_LEVELS

BUILTIN_PATH = Path(__file__).with_name("templates.json")
_TOLERANCE = 1e-6  # mm; float sums such as 9.7 + 4 * 45.7 must not fail the page check


@dataclass(frozen=True)
class Template:
    """One label stock: page size, grid, label size, inner padding, printer drift correction (all mm)."""

    name: str
    page_width: float
    page_height: float
    columns: int
    rows: int
    label_width: float
    label_height: float
    margin_left: float = 0.0
    margin_top: float = 0.0
    gap_x: float = 0.0
    gap_y: float = 0.0
    padding: float = 1.5
    offset_x: float = 0.0  # + moves everything right, to undo a printer printing too far left
    offset_y: float = 0.0  # + moves everything down
    ecc: str = "M"
    printer_dpi: int | None = None  # set for thermal printers: QR modules snap to whole dots
    liner_gap: float = (
        0.0  # mm between labels on a roll (TSPL GAP, ZPL gap sensing); 0 = continuous
    )
    upside_down: bool = (
        False  # a thermal printer feeding the roll the other way prints rotated 180°
    )
    description: str = ""

    def __post_init__(self):
        _check_values(self)
        _check_grid(self)

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    def label_origin(self, index: int) -> tuple[float, float]:
        """Top-left corner (mm from the page's top-left) of label slot index on its page, offsets applied."""
        row, column = divmod(index % self.per_page, self.columns)
        x = self.margin_left + column * (self.label_width + self.gap_x) + self.offset_x
        y = self.margin_top + row * (self.label_height + self.gap_y) + self.offset_y
        return x, y


_NUMBERS = (
    "page_width",
    "page_height",
    "label_width",
    "label_height",
    "margin_left",
    "margin_top",
    "gap_x",
    "gap_y",
    "padding",
    "offset_x",
    "offset_y",
    "liner_gap",
)
_POSITIVE = ("page_width", "page_height", "label_width", "label_height")
_NON_NEGATIVE = ("margin_left", "margin_top", "gap_x", "gap_y", "padding", "liner_gap")


def _check_values(t: Template) -> None:
    where = f"template {t.name!r}"
    if not isinstance(t.name, str) or not t.name.strip():
        raise LabelError('a template has no name: give every record a "name" such as "roll-40x30"')
    for key in _NUMBERS:
        value = getattr(t, key)
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            raise LabelError(f"{where}: {key} is {value!r}, expected a number of millimetres")
    for key in _POSITIVE:
        if getattr(t, key) <= 0:
            raise LabelError(f"{where}: {key} is {getattr(t, key)} mm, it must be greater than 0")
    for key in _NON_NEGATIVE:
        if getattr(t, key) < 0:
            raise LabelError(f"{where}: {key} is {getattr(t, key)} mm, it must not be negative")
    for key in ("columns", "rows"):
        value = getattr(t, key)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise LabelError(f"{where}: {key} is {value!r}, expected a whole number of at least 1")
    if not isinstance(t.upside_down, bool):
        raise LabelError(f"{where}: upside_down is {t.upside_down!r}, expected true or false")
    if str(t.ecc).upper() not in ECC_LEVELS:
        raise LabelError(f'{where}: ecc is {t.ecc!r}, expected "M" or "Q"')
    if t.printer_dpi is not None and (
        isinstance(t.printer_dpi, bool)
        or not isinstance(t.printer_dpi, int)
        or not 72 <= t.printer_dpi <= 2400
    ):
        raise LabelError(
            f"{where}: printer_dpi is {t.printer_dpi!r}, expected null or a whole number such as 203"
        )
    if 2 * t.padding >= min(t.label_width, t.label_height):
        raise LabelError(
            f"{where}: padding {t.padding} mm leaves no room inside a "
            f"{t.label_width} x {t.label_height} mm label; use a smaller padding"
        )


def _check_grid(t: Template) -> None:
    """Every label's printed area (label minus padding), shifted by the offsets, must lie on the page."""
    where = f"template {t.name!r}"
    width = t.margin_left + t.columns * t.label_width + (t.columns - 1) * t.gap_x
    height = t.margin_top + t.rows * t.label_height + (t.rows - 1) * t.gap_y
    if width > t.page_width + _TOLERANCE or height > t.page_height + _TOLERANCE:
        raise LabelError(
            f"{where}: the grid needs {width:g} x {height:g} mm but the page is "
            f"{t.page_width:g} x {t.page_height:g} mm; check margins, gaps, label size and counts"
        )
    for axis, offset, start, extent, page in (
        ("offset_x", t.offset_x, t.margin_left, width - t.margin_left, t.page_width),
        ("offset_y", t.offset_y, t.margin_top, height - t.margin_top, t.page_height),
    ):
        low = -(start + t.padding)  # content of the first label reaches the page edge
        high = page - (start + extent) + t.padding  # content of the last label reaches the far edge
        if not low - _TOLERANCE <= offset <= high + _TOLERANCE:
            raise LabelError(
                f"{where}: {axis} = {offset:g} mm pushes labels off the page; "
                f"use a value between {low:g} and {high:g} mm"
            )


def template_from_dict(record: dict) -> Template:
    """A validated Template from one JSON record; unknown keys are an error (they are usually typos)."""
    if not isinstance(record, dict):
        raise LabelError(f"a template record must be a JSON object, got {record!r}")
    known = {f.name for f in fields(Template)}
    unknown = sorted(set(record) - known)
    name = record.get("name", "?")
    if unknown:
        raise LabelError(
            f"template {name!r}: unknown field(s) {', '.join(unknown)}; known fields are "
            f"{', '.join(sorted(known))}"
        )
    missing = [
        key
        for key in (
            "name",
            "page_width",
            "page_height",
            "columns",
            "rows",
            "label_width",
            "label_height",
        )
        if key not in record
    ]
    if missing:
        raise LabelError(f"template {name!r}: missing field(s) {', '.join(missing)}")
    return Template(**record)


def _read_records(source) -> list[dict]:
    if isinstance(source, (str, Path)):
        path = Path(source)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise LabelError(f"cannot read templates file {path}: {exc.strerror}") from None
        except json.JSONDecodeError as exc:
            raise LabelError(
                f"templates file {path}: invalid JSON at line {exc.lineno}: {exc.msg}"
            ) from None
        source = data
    if isinstance(source, dict) and "templates" in source:
        source = source["templates"]
    if isinstance(source, dict):  # {"a4-3x8": {"offset_x": 0.5}, ...}
        return [{**record, "name": name} for name, record in source.items()]
    if isinstance(source, list):
        return source
    raise LabelError(
        "templates must be a list of records, a {name: record} mapping or a JSON file path"
    )


def load_templates(extra=None) -> dict[str, Template]:
    """The built-in templates, then extra ones: a JSON path, a list of records or a {name: fields} mapping.

    An extra record whose name is already known overrides only the fields it gives (e.g. the offsets a
    server stores per printer); a new name must be a complete record.
    """
    templates: dict[str, Template] = {}
    for record in _read_records(BUILTIN_PATH):
        template = template_from_dict(record)
        templates[template.name] = template
    for record in _read_records(extra) if extra is not None else []:
        name = record.get("name") if isinstance(record, dict) else None
        if name in templates:
            changes = {k: v for k, v in record.items() if k != "name"}
            bad = sorted(set(changes) - {f.name for f in fields(Template)})
            if bad:
                raise LabelError(f"template {name!r}: unknown field(s) {', '.join(bad)}")
            templates[name] = replace(templates[name], **changes)
        else:
            template = template_from_dict(record)
            templates[template.name] = template
    return templates


def get_template(name: str, extra=None) -> Template:
    """The template called name (built-in or from extra), or a LabelError listing the known names."""
    templates = load_templates(extra)
    try:
        return templates[name]
    except (KeyError, TypeError):
        raise LabelError(
            f"unknown label template {name!r}: choose one of {', '.join(sorted(templates))}"
        ) from None
