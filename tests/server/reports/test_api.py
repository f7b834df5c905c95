"""The reports API: the list, PDF with a Chinese file name, HTML preview, notes, bad input, roles."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from tests.server.reports import scene
from tests.server.reports.test_render import pdf_text


@pytest.fixture
def december(app, reference_data, factory, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    return scene.build(reference_data, factory)


def test_list_says_what_is_available(auth, app):
    response = auth("viewer").get("/api/v1/reports")
    assert response.status_code == 200
    kinds = {k["name"]: k for k in response.get_json()}
    assert kinds["inspection_monthly"]["available"] is True
    assert kinds["inspection_monthly"]["period_kind"] == "month"
    assert kinds["sampling_quarterly"]["period_kind"] == "quarter"
    assert kinds["meetings_monthly"]["period_kind"] == "month"
    assert kinds["meeting_register"]["period_kind"] == "meeting"
    assert all(k["available"] for k in kinds.values())


def test_pdf_download_has_a_chinese_file_name(auth, december):
    response = auth("supervisor").get("/api/v1/reports/inspection_monthly?period=2025-12")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert 'filename="inspection_monthly-2025-12.pdf"' in disposition
    encoded = disposition.split("filename*=UTF-8''")[1]
    assert unquote(encoded) == "设备巡检技术报告-2025-12.pdf"
    assert "设备巡检技术报告" in pdf_text(response.data)


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/reports/faults_monthly.html?period=2025-12",
        "/api/v1/reports/faults_monthly?period=2025-12&format=html",
    ],
)
def test_html_preview_may_be_framed_by_the_app_only(auth, december, url):
    response = auth("viewer").get(url)
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert "故障处理与SLA月报" in response.get_data(as_text=True)
    policy = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "script-src" not in policy
    assert "default-src 'none'" in policy
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert "<script" not in response.get_data(as_text=True)
    assert ' style="' not in response.get_data(as_text=True)  # CSP allows no inline styles


def test_assets_are_served(auth, app):
    client = auth("viewer")
    css = client.get("/api/v1/reports/assets/report.css")
    assert css.status_code == 200 and css.mimetype == "text/css"
    assert b"@font-face" in css.data
    font = client.get("/api/v1/reports/assets/wqy-microhei.ttf")
    assert font.status_code == 200 and font.mimetype == "font/ttf"
    assert client.get("/api/v1/reports/assets/..%2Fconfig.py").status_code == 404


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/reports/inspection_monthly?period=2025-13",
        "/api/v1/reports/inspection_monthly?period=2025Q4",
        "/api/v1/reports/sampling_quarterly.html?period=2025-12",
        "/api/v1/reports/inspection_monthly",
        "/api/v1/reports/inspection_monthly?period=2025-12&format=docx",
    ],
)
def test_bad_periods_are_422_naming_the_parameter(auth, app, url):
    response = auth("supervisor").get(url)
    assert response.status_code == 422, response.get_json()
    errors = response.get_json()["error"]["errors"]["query"]
    assert set(errors) <= {"period", "format"} and errors


def test_unknown_kind_is_404_and_a_register_without_a_meeting_is_422(auth, app):
    client = auth("supervisor")
    assert client.get("/api/v1/reports/nope?period=2025-12").status_code == 404
    no_meeting = client.get("/api/v1/reports/meeting_register?period=2025-12")
    assert no_meeting.status_code == 422
    assert "meeting" in no_meeting.get_json()["error"]["errors"]["query"]


def test_engineer_types_recommendations_into_the_report(auth, reference_data, app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    engineer = auth("engineer")
    saved = engineer.put(
        "/api/v1/reports/inspection_monthly/note",
        json={"period": "2025-11", "text": "建议：更换二号会议室麦克风电池。"},
    )
    assert saved.status_code == 200, saved.get_json()
    assert saved.get_json()["text"].startswith("建议")
    read = engineer.get("/api/v1/reports/inspection_monthly/note?period=2025-11")
    assert read.get_json()["updated_by"] == engineer.user.id
    assert (
        engineer.put(
            "/api/v1/reports/inspection_monthly/note", json={"period": "2025-11-01", "text": "x"}
        ).status_code
        == 422
    )
    # the engineer may not read reports; the supervisor sees the note in the PDF
    assert engineer.get("/api/v1/reports/inspection_monthly?period=2025-11").status_code == 403
    pdf = auth("supervisor").get("/api/v1/reports/inspection_monthly?period=2025-11").data
    assert "更换二号会议室麦克风电池" in pdf_text(pdf)
