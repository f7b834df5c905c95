"""The meeting reports: the monthly meeting report's context counted by hand from a hand-built
month, its PDF and HTML, a month without meetings, and one meeting's register from the reports
API."""

from __future__ import annotations

from urllib.parse import unquote

import pytest

from server.errors import AppError
from server.periods import parse_span
from server.services.meetings import meetings
from server.services.reports import meetings_monthly, registry
from tests.server.meetings import month_fixture
from tests.server.reports.test_render import embedded_fonts, pdf_text


@pytest.fixture
def month(app, reference_data, factory, tmp_path, monkeypatch):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    monkeypatch.setattr(meetings, "current_time", lambda: month_fixture.NOW)
    return month_fixture.build(reference_data, factory)


def test_the_monthly_context_matches_the_hand_count(month):
    context = meetings_monthly.context(parse_span("2025-12", ("month",)))
    assert context["totals"] == month_fixture.EXPECTED
    assert [m["title"] for m in context["meetings"]] == [
        "全省医保视频调度会",
        "钉钉专题会",
        "取消的会议",
    ]
    a, b, c = context["meetings"]
    assert a["checks"] == {"total": 7, "on_time": 3, "done_late": 2, "missed": 2, "pending": 0}
    assert (a["sites"], a["speaking"], a["room"]) == (3, 1, month["a"].host_room.name)
    assert len(a["engineers"]) == 2
    assert a["faults"] == [month["fault"].id]
    assert (a["register"], b["register"], c["register"]) == ("filled", "missing", "cancelled")
    assert b["kind_zh"] == "软件会议（钉钉）" and b["major_event"] is True
    assert c["checks"]["total"] == 0 and c["state_zh"] == "已取消"
    late = sorted((x["kind"], x["done_at"] is None) for x in context["late_checks"])
    assert late == [  # two done late, four never done
        ("会前设备检查", True),
        ("会场开机确认", False),
        ("会场开机确认", True),
        ("会场开机确认", True),
        ("工程师到场", False),
        ("工程师到场", True),
    ]
    assert [r["file"] for r in context["recordings"]] == ["REC-20251210-0900"]
    assert [m["id"] for m in context["missing_registers"]] == [month["b"].id]
    assert context["empty"] is False


def test_the_monthly_pdf_prints_the_month_in_chinese(month):
    pdf = registry.render_report("meetings_monthly", "2025-12")
    text = pdf_text(pdf)
    assert "会议保障月报" in text and "全省医保视频调度会" in text and "钉钉专题会" in text
    assert "十一月的会" not in text
    assert "REC-20251210-0900" in text and f"#{month['fault'].id}" in text
    assert "尚未填写登记表" in text
    assert embedded_fonts(pdf)


def test_a_month_without_meetings_says_so(month):
    html = registry.report_html("meetings_monthly", "2025-10")
    assert "没有会议保障记录" in html
    assert "没有会议保障记录" in pdf_text(registry.render_report("meetings_monthly", "2025-10"))


def test_the_kinds_are_listed_available(app):
    listed = {k["name"]: k for k in registry.listing()}
    assert listed["meetings_monthly"] == {
        "name": "meetings_monthly",
        "title": "会议保障月报",
        "title_en": "Monthly meeting support report",
        "period_kind": "month",
        "available": True,
        "unavailable_reason": None,
    }
    assert listed["meeting_register"]["period_kind"] == "meeting"
    assert listed["meeting_register"]["available"] is True


def test_the_register_needs_a_meeting_not_a_period(app):
    with pytest.raises(AppError) as caught:
        registry.render_report("meeting_register", "2025-12")
    assert caught.value.status_code == 422 and "meeting" in caught.value.errors["query"]
    with pytest.raises(AppError) as caught:
        registry.span_of(registry.get_kind("meeting_register"), "2025-12")
    assert caught.value.status_code == 422 and "period" in caught.value.errors["query"]


def test_reports_api_serves_one_meetings_register(auth, month):
    client = auth("viewer")
    meeting_id = month["a"].id
    pdf = client.get(f"/api/v1/reports/meeting_register?meeting={meeting_id}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    disposition = pdf.headers["Content-Disposition"]
    assert f'filename="meeting_register-{meeting_id}.pdf"' in disposition
    assert unquote(disposition.split("filename*=UTF-8''")[1]).startswith(
        "视频会议系统使用情况登记表"
    )
    text = pdf_text(pdf.data)
    assert "全省医保视频调度会" in text and "REC-20251210-0900" in text and "会议顺利" in text
    preview = client.get(f"/api/v1/reports/meeting_register.html?meeting={meeting_id}")
    assert preview.status_code == 200 and "全省医保视频调度会" in preview.get_data(as_text=True)
    assert ' style="' not in preview.get_data(as_text=True)
    assert client.get("/api/v1/reports/meeting_register?meeting=999999").status_code == 404
    missing = client.get("/api/v1/reports/meeting_register")
    assert missing.status_code == 422
    assert "meeting" in missing.get_json()["error"]["errors"]["query"]
    note = client.get("/api/v1/reports/meeting_register/note?period=2025-12")
    assert note.status_code == 422


def test_reports_api_serves_the_monthly_report(auth, month):
    response = auth("supervisor").get("/api/v1/reports/meetings_monthly?period=2025-12")
    assert response.status_code == 200
    assert unquote(response.headers["Content-Disposition"].split("UTF-8''")[1]) == (
        "会议保障月报-2025-12.pdf"
    )
    html = auth("viewer").get("/api/v1/reports/meetings_monthly.html?period=2025-12")
    assert "钉钉专题会" in html.get_data(as_text=True)
