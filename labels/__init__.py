"""QR asset labels: label data and a template in, PDF or PNG bytes out (no Flask; see docs/labels.md)."""

from labels.calibration import calibration_pdf
from labels.errors import LabelError
from labels.layout import LabelLayout, layout_label
from labels.model import LabelData, qr_url
from labels.qr import encode as encode_qr
from labels.render import render_pdf, render_png
from labels.templates import Template, get_template, load_templates
from labels.thermal import LANGUAGES, THERMAL_DPIS, calibration_thermal, render_thermal

__all__ = [
    "LANGUAGES",
    "THERMAL_DPIS",
    "LabelData",
    "LabelError",
    "LabelLayout",
    "Template",
    "calibration_pdf",
    "calibration_thermal",
    "encode_qr",
    "get_template",
    "layout_label",
    "load_templates",
    "qr_url",
    "render_pdf",
    "render_png",
    "render_thermal",
]
