"""The demo year's assessment events (what only people know), entered through the events
service with a generated PDF letter as evidence, so the 2025 scorecard has a few of each kind."""

from __future__ import annotations

import hashlib
import io
from datetime import date

from server.services.assessment import events
from server.services.core import attachments

# (form, item, rule, day, what happened, points for ranged rules, with a letter)
DEMO_EVENTS = (
    (
        "av",
        "service",
        "written_praise",
        date(2025, 4, 18),
        "省医保局来函表扬：全省医保工作视频会议保障到位。",
        None,
        True,
    ),
    (
        "software",
        "sla",
        "written_praise",
        date(2025, 9, 5),
        "遵义市医保局来函表扬：系统故障两小时内恢复。",
        None,
        True,
    ),
    (
        "av",
        "service",
        "service_failure",
        date(2025, 6, 12),
        "六盘水市会前调试未按时完成，会议推迟十分钟开始。",
        -2,
        True,
    ),
    (
        "av",
        "communication",
        "communication_incident",
        date(2025, 7, 22),
        "县局报修电话未及时回拨，次日才联系。",
        -2,
        False,
    ),
    (
        "av",
        "emergency",
        "help_outside_scope",
        date(2025, 11, 3),
        "协助省局信息科排查非合同范围的会议室网络故障。",
        None,
        True,
    ),
    (
        "software",
        "emergency",
        "help_outside_duties",
        date(2025, 10, 16),
        "协助排查第三方医保信息平台接口故障，视频会议系统恢复接入。",
        None,
        True,
    ),
    (
        "av",
        "attitude",
        "late_or_inaccurate",
        date(2025, 3, 14),
        "二月份设备巡检技术报告晚交一天。",
        None,
        False,
    ),
    (
        "software",
        "backup",
        "missed_backup",
        date(2025, 8, 30),
        "八月第四周备份作业未执行，次周补做。",
        None,
        False,
    ),
)


def _letter(text: str) -> dict:
    """A one-page PDF standing in for a scanned letter, stored as an attachment."""
    from reportlab.pdfgen import canvas

    from labels.fonts import FONT_NAME, reportlab_font

    reportlab_font()
    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, invariant=1)
    page.setFont(FONT_NAME, 14)
    page.drawString(72, 760, text[:40])
    page.save()
    data = buffer.getvalue()
    sha = hashlib.sha256(data).hexdigest()
    attachments.put(sha, attachments.PDF, io.BytesIO(data), len(data))
    return {"sha256": sha, "name": "来函扫描件.pdf"}


def add_demo_events(year) -> None:
    """DEMO_YEAR_EXTRAS hook: the events above, entered by the demo supervisor."""
    for form, item, rule, day, what, points, letter in DEMO_EVENTS:
        events.create_event(
            form=form,
            item=item,
            rule=rule,
            occurred_on=day,
            description=what,
            user=year.supervisor,
            points=points,
            attachments=[_letter(what)] if letter else [],
        )
        year.counts["assessment_events"] += 1
