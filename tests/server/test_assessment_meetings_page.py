"""The assessment page shows a guarantee meeting's records on the major-events line, in Chinese
words from core/dict (no raw enum), in real headless Chromium against a live demo server."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import Room, Site, User
from server.services.meetings import meetings as meeting_service
from tests.chromium import new_context, supervisor_sign_in
from tests.live_server import serve
from tests.server.assessment_meetings_scene import _push, _record
from tests.server.frozen import cst

pytestmark = [pytest.mark.browser, pytest.mark.live]


def a_guarantee_meeting() -> int:
    """A National Day guarantee meeting of 2025 with 520100 speaking: the arrival and 520100's
    switch-on on time, 520200's switch-on missing, an incident at 520200, a register."""
    engineer = db.session.scalar(sa.select(User).where(User.username == "engineer"))
    supervisor = db.session.scalar(sa.select(User).where(User.username == "supervisor"))
    province = db.session.scalar(sa.select(Site).where(Site.code == "520000"))
    room = db.session.scalar(
        sa.select(Room).where(Room.site_id == province.id, Room.kind == "main_conference")
    )
    start = cst(2025, 9, 28, 9, 0)
    meeting = meeting_service.create(
        {
            "title": "国庆节前安全生产视频会议",
            "kind": "major",
            "platform": None,
            "host_site_code": "520000",
            "host_room_id": room.id,
            "site_scope": "list",
            "site_codes": ["520100", "520200"],
            "speaking_codes": ["520100"],
            "engineer_ids": [engineer.id],
            "starts_at": start,
            "ends_at": cst(2025, 9, 28, 11, 0),
            "major_event": True,
            "notes": None,
        },
        supervisor,
    )
    db.session.flush()
    site = {s.code: s.id for s in db.session.scalars(sa.select(Site))}
    at = cst(2025, 9, 28, 4, 50)
    confirmed = cst(2025, 9, 28, 8, 20)
    incident_at = cst(2025, 9, 28, 9, 40)
    records = [
        _record("meeting_arrival", at, {"meeting_id": meeting.id, "arrived_at": at.isoformat()}),
        _record(
            "meeting_site_confirmation",
            confirmed,
            {
                "meeting_id": meeting.id,
                "site_id": site["520100"],
                "confirmed_by": "值班员",
                "confirmed_at": confirmed.isoformat(),
                "note": None,
            },
        ),
        _record(
            "meeting_incident",
            incident_at,
            {
                "meeting_id": meeting.id,
                "site_id": site["520200"],
                "kind": "frozen_picture",
                "started_at": incident_at.isoformat(),
                "duration_min": 3,
                "action": "重新呼叫",
                "to_fault": False,
            },
        ),
        _record(
            "usage_register",
            cst(2025, 9, 28, 11, 30),
            {
                "meeting_id": meeting.id,
                "started_at": start.isoformat(),
                "ended_at": cst(2025, 9, 28, 11, 0).isoformat(),
                "recordings": [{"server": "录播服务器", "file": "20250928.mp4"}],
            },
        ),
    ]
    _push(engineer, records, cst(2025, 9, 28, 12, 0))
    return meeting.id


@pytest.fixture(scope="module")
def demo_server(tmp_path_factory):
    with serve(tmp_path_factory.mktemp("instance"), demo=True, seed=a_guarantee_meeting) as live:
        yield live


def test_the_major_events_line_shows_the_meeting_in_chinese(demo_server, browser):
    context = new_context(browser, viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    supervisor_sign_in(page, f"{demo_server.base_url}/assessment")
    page.wait_for_selector('#app[data-period="2025-01-01..2025-12-31"]:not([aria-busy])')
    line = page.locator('section[data-form="av"] [data-line="major_events"]')
    line.locator("summary").click()
    evidence = line.locator('.point.evidence[data-rule="guarantee_meeting"]')
    text = evidence.inner_text()
    assert "重大会议「国庆节前安全生产视频会议」" in text and "2 个点位" in text
    assert "按时 2 项" in text and "未做 3 项" in text  # arrival, 520100; 520200, test, list
    assert "开机确认" in text and "画面卡住" in text and "录像 1 个" in text
    assert not re.search(r"\b(on_time|missing|switch_on|frozen_picture|major)\b", text)
    href = evidence.locator("a[data-kind=meeting]").get_attribute("href")
    assert href == f"/meetings?meeting={demo_server.seeded}"
    page.goto(demo_server.base_url + href)
    page.wait_for_selector(f'#detail[data-meeting="{demo_server.seeded}"]:not([hidden])')
    assert "国庆节前安全生产视频会议" in page.inner_text("#detail")
    context.close()
