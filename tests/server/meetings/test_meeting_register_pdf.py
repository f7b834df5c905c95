"""The usage register PDF of one meeting: a Chinese PDF with the meeting's title and sites."""

from __future__ import annotations

import pypdfium2


def _text(data: bytes) -> str:
    document = pypdfium2.PdfDocument(data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_register_pdf_prints_the_meeting(scene):
    from tests.server.meetings.helpers import body

    made = scene["boss"].post("/api/v1/meetings", json=body(scene, title="全省医保视频调度会"))
    assert made.status_code == 201, made.get_json()
    response = scene["boss"].get(f"/api/v1/meetings/{made.get_json()['id']}/register.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "filename*=UTF-8''" in response.headers["Content-Disposition"]
    text = _text(response.data)
    assert "全省医保视频调度会" in text
    assert "视频会议系统使用情况登记表" in text
    assert "发言会场联调" in text and "工程师到场" in text


def test_register_pdf_of_an_unknown_meeting_is_404(scene):
    assert scene["boss"].get("/api/v1/meetings/999999/register.pdf").status_code == 404
