"""Each report renders from real records: a PDF that opens, in Chinese, with the font embedded."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from server.errors import AppError
from server.services.reports import assessment, registry
from tests.server.reports import scene
from tests.server.reports.assessment_fixture import hand_built


@pytest.fixture
def photos(app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")


@pytest.fixture
def december(reference_data, factory, photos):
    return scene.build(reference_data, factory)


def pdf_text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    try:
        return "".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def fonts(data: bytes) -> set[tuple[str, bool]]:
    """(base font name, embedded?) of every font the text of the PDF is drawn with."""
    import ctypes

    import pypdfium2.raw as raw

    found = set()
    document = pypdfium2.PdfDocument(data)
    try:
        for page in document:
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                font = raw.FPDFTextObj_GetFont(obj.raw)
                size = raw.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(size)
                raw.FPDFFont_GetBaseFontName(font, buffer, size)
                found.add((buffer.value.decode(), bool(raw.FPDFFont_GetIsEmbedded(font))))
    finally:
        document.close()
    return found


def embedded_fonts(data: bytes) -> bool:
    """Every font is embedded and is the stylesheet's @font-face (the bundled WenQuanYi Micro
    Hei, subset), never a system font."""
    used = fonts(data)
    return bool(used) and all(embedded and "XJ-Report" in name for name, embedded in used)


def test_monthly_inspection_report(december):
    pdf = registry.render_report("inspection_monthly", "2025-12")
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "设备巡检技术报告" in text
    assert "2025年12月" in text
    assert december["camera"].tag in text
    assert "预置位调用偏移约 5 度" in text
    assert "摄像机画面模糊" in text  # the fault of the month
    assert "建议更换会议室摄像机云台。" in text  # the engineer's recommendation
    assert embedded_fonts(pdf)
    assert b"/Subtype /Image" in pdf or b"/Subtype/Image" in pdf  # the photo is in it


def test_photo_is_downscaled(december):
    html = registry.report_html("inspection_monthly", "2025-12")
    images = re.findall(r'src="data:image/jpeg;base64,([^"]+)"', html)
    assert images
    import base64
    import io

    from PIL import Image

    with Image.open(io.BytesIO(base64.b64decode(images[0]))) as image:
        assert max(image.size) <= 400


def test_fault_report(december):
    pdf = registry.render_report("faults_monthly", "2025-12")
    text = pdf_text(pdf)
    assert "故障处理与SLA月报" in text
    assert "摄像机画面模糊" in text
    assert "超时" in text  # the 45-minute response breached
    assert "50.0%" in text  # one of two resolved
    assert december["camera"].tag in text  # the swap
    assert embedded_fonts(pdf)


def test_quarterly_sampling_report(december):
    pdf = registry.render_report("sampling_quarterly", "2025Q4")
    text = pdf_text(pdf)
    assert "全省设备抽样巡检季度报告" in text
    assert "2025年第四季度" in text
    assert "南明区医疗保障局" in text  # the visited county
    assert embedded_fonts(pdf), fonts(pdf)
    html = registry.report_html("sampling_quarterly", "2025Q4")
    assert html.count("<rect") >= 99  # a tile per bureau


def test_assessment_form_from_a_hand_built_context(app):
    assessment.set_provider(lambda first, after: hand_built())
    try:
        pdf = registry.render_report("assessment", "2025")
    finally:
        assessment.set_provider(None)
    text = pdf_text(pdf)
    for words in ("服务考核表", "日常巡检", "建设单位", "用户单位", "附录", "未完成每日健康检查"):
        assert words in text, words
    assert "2025-03-04 无日常检查记录" in text  # a deduction's record in the appendix
    assert embedded_fonts(pdf)


@pytest.mark.parametrize(
    ("name", "period", "words"),
    [
        ("inspection_monthly", "2025-11", "没有月度巡检记录"),
        ("faults_monthly", "2025-11", "没有故障"),
        ("sampling_quarterly", "2025Q3", "没有抽样巡检计划"),
    ],
)
def test_a_period_without_data_says_so(reference_data, photos, name, period, words):
    assert words in pdf_text(registry.render_report(name, period))


@pytest.mark.parametrize(
    ("name", "period"),
    [
        ("inspection_monthly", "2025-13"),
        ("inspection_monthly", "2025Q4"),
        ("sampling_quarterly", "2025-12"),
        ("assessment", "2025-12-31..2025-01-01"),
        ("faults_monthly", ""),
    ],
)
def test_bad_periods_are_422_naming_period(app, name, period):
    assessment.set_provider(lambda first, after: hand_built())
    try:
        with pytest.raises(AppError) as caught:
            registry.report_html(name, period)
    finally:
        assessment.set_provider(None)
    assert caught.value.status_code == 422
    assert "period" in caught.value.errors["query"]


def test_meeting_register_takes_a_meeting_not_a_period(app):
    listed = {k["name"]: k for k in registry.listing()}
    assert listed["meeting_register"]["available"] is True
    assert listed["meeting_register"]["period_kind"] == "meeting"
    with pytest.raises(AppError) as caught:
        registry.render_report("meeting_register", "2025-12")
    assert caught.value.status_code == 422
    assert "meeting" in caught.value.errors["query"]
