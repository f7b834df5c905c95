"""The usage register pushed through sync: refused before the meeting, once under replay, latest
wins, and printed in the register PDF with the incidents and the recordings."""

from __future__ import annotations

from datetime import timedelta

import pypdfium2
import sqlalchemy as sa

from server.extensions import db
from server.models import Meeting, UsageRegister
from server.services.meetings import register
from tests.server.meetings.helpers import START
from tests.server.meetings.log_helpers import (
    AFTER,
    incident_data,
    push,
    record,
    register_data,
    set_meeting_clock,
)


def _count() -> int:
    return db.session.scalar(sa.select(sa.func.count(UsageRegister.id)))


def _pdf_text(client, meeting_id) -> str:
    answer = client.get(f"/api/v1/meetings/{meeting_id}/register.pdf")
    assert answer.status_code == 200
    document = pypdfium2.PdfDocument(answer.data)
    return "".join(page.get_textpage().get_text_range() for page in document)


def test_a_register_before_the_meeting_starts_is_refused(log_scene, monkeypatch):
    set_meeting_clock(monkeypatch, START - timedelta(minutes=1))
    answer = push(log_scene["phone"], record("usage_register", register_data(log_scene)))[0]
    assert answer["status"] == "rejected" and answer["code"] == "meeting_not_started"
    assert "meeting_id" in answer["errors"]["data"] and _count() == 0


def test_a_register_is_stored_once_and_printed(log_scene, monkeypatch):
    set_meeting_clock(monkeypatch, AFTER)
    incident = record("meeting_incident", incident_data(log_scene, action="重启音频处理器"))
    reg = record("usage_register", register_data(log_scene), at=AFTER)
    assert [r["status"] for r in push(log_scene["phone"], incident, reg)] == ["created"] * 2
    assert [r["status"] for r in push(log_scene["phone"], incident, reg)] == ["duplicate"] * 2
    assert _count() == 1
    stored = db.session.scalar(sa.select(UsageRegister))
    assert stored.user_id == log_scene["engineers"][0].id and stored.flags is None
    assert stored.shutdown == {
        "audio": True,
        "displays": True,
        "matrix": True,
        "power": True,
        "windows_lights": False,
    }
    text = _pdf_text(log_scene["boss"], log_scene["meeting"]["id"])
    for words in ("张工、李工", "设备正常，已关机", "录播服务器一", "REC-20261203-0900", "180"):
        assert words in text, words
    assert "会场无声音" in text and "重启音频处理器" in text  # the incident's row
    assert "会议顺利" in text and "使用情况登记尚未录入" not in text
    assert "11:05" in text  # ended_at 03:05 UTC, printed in China time


def test_the_pdf_prints_incidents_before_any_register(log_scene):
    push(log_scene["phone"], record("meeting_incident", incident_data(log_scene, kind="mosaic")))
    assert "画面马赛克" in _pdf_text(log_scene["boss"], log_scene["meeting"]["id"])


def test_the_register_made_last_wins_and_the_earlier_one_is_kept(log_scene, monkeypatch):
    set_meeting_clock(monkeypatch, AFTER)
    later = record("usage_register", register_data(log_scene, remarks="第二份"), at=AFTER)
    earlier = record(
        "usage_register",
        register_data(log_scene, remarks="第一份"),
        at=AFTER - timedelta(minutes=30),
    )
    push(log_scene["phone"], later)
    push(log_scene["phone"], earlier)  # synced last, made first: it does not win
    meeting = db.session.get(Meeting, log_scene["meeting"]["id"])
    assert _count() == 2 and register.current(meeting).remarks == "第二份"
    text = _pdf_text(log_scene["boss"], meeting.id)
    assert "第二份" in text and "第一份" not in text


def test_refusals_and_flags(log_scene, monkeypatch, auth, factory):
    set_meeting_clock(monkeypatch, AFTER)
    backwards = register_data(log_scene, ended_at=(START - timedelta(minutes=1)).isoformat())
    answers = push(
        log_scene["phone"],
        record("usage_register", register_data(log_scene, meeting_id=999999)),
        record("usage_register", backwards),
        record("usage_register", register_data(log_scene, signature_photo_id="nope")),
    )
    assert [a.get("code") for a in answers] == ["meeting_unknown", "invalid", "invalid"]
    assert "ended_at" in answers[1]["errors"]["data"]
    assert "signature_photo_id" in answers[2]["errors"]["data"]
    assert _count() == 0
    stranger = auth("engineer", factory.user("engineer"))
    assert push(stranger, record("usage_register", register_data(log_scene)))[0]["status"] == (
        "created"
    )
    assert [f["code"] for f in db.session.scalar(sa.select(UsageRegister)).flags] == [
        "not_assigned"
    ]
    meeting_id = log_scene["meeting"]["id"]
    assert (
        log_scene["boss"].post(f"/api/v1/meetings/{meeting_id}/cancel", json={}).status_code == 200
    )
    answer = push(log_scene["phone"], record("usage_register", register_data(log_scene)))[0]
    assert answer["code"] == "meeting_cancelled" and _count() == 1
