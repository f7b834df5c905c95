"""The usage register of one meeting (视频会议系统使用情况登记表) as a Chinese PDF: the meeting,
its times, rooms and sites, engineers, due checks and, once recorded, the register itself."""

from __future__ import annotations

from collections.abc import Callable

from flask import current_app

from server import periods
from server.models import Meeting
from server.services.meetings import due, meetings, queries
from server.services.reports import render

TITLE = "视频会议系统使用情况登记表"
KIND_ZH = {
    "provincial_video": "全省视频会议",
    "major": "重大会议",
    "software": "软件会议",
    "other_av": "其他音视频会议",
    "prefecture_assist": "市州主导会议（协助）",
    "relocation": "会场迁移指导",
}
PLATFORM_ZH = {
    "tencent_meeting": "腾讯会议",
    "dingtalk": "钉钉",
    "wecom": "企业微信",
    "other": "其他",
}
STATE_ZH = {"scheduled": "已安排", "cancelled": "已取消"}
CHECK_ZH = {
    "arrival": "工程师到场",
    "switch_on": "会场开机确认",
    "checklist": "会前设备检查",
    "joint_test": "发言会场联调",
}
CHECK_STATE_ZH = {"due": "待完成", "late": "已逾期", "done": "已完成"}
SHUTDOWN_ZH = {  # the order the contract asks for (issue 15)
    "audio": "关闭音频设备",
    "displays": "关闭显示设备",
    "matrix": "关闭矩阵",
    "power": "依次关闭电源",
    "windows_lights": "关闭门窗、灯光",
}

RegisterSource = Callable[[Meeting], dict | None]
_sources: list[RegisterSource] = []


def register_source(source: RegisterSource) -> RegisterSource:
    """The usage register record type plugs in here: `source(meeting)` answers the register's
    fields (docs/meetings.md, meeting_contract: started_at, ended_at, operators, state_before,
    state_after, shutdown, recordings, remarks, signature_photo_id) or None."""
    if source not in _sources:  # idempotent: tests build many apps
        _sources.append(source)
    return source


def _register(meeting: Meeting) -> dict | None:
    for source in _sources:
        found = source(meeting)
        if found:
            return {
                "started_at": found.get("started_at"),
                "ended_at": found.get("ended_at"),
                "operators": found.get("operators") or [],
                "state_before": found.get("state_before"),
                "state_after": found.get("state_after"),
                "shutdown": [SHUTDOWN_ZH.get(s, s) for s in found.get("shutdown") or []],
                "recordings": found.get("recordings") or [],
                "remarks": found.get("remarks"),
                "incidents": found.get("incidents") or [],
                "signature": found.get("signature_photo_sha"),
            }
    return None


def context(meeting: Meeting) -> dict:
    """Everything the template prints, with the stored codes in Chinese."""
    now = meetings.current_time()
    info = queries.detail(meeting, now)
    checks = [
        {
            **c,
            "kind_zh": CHECK_ZH.get(c["kind"], c["kind"]),
            "state_zh": CHECK_STATE_ZH.get(c["state"], c["state"]),
        }
        for c in info["due_checks"]
    ]
    return {
        "title": TITLE,
        "client": current_app.config.get("LABEL_OWNER_LINE") or "贵州省医疗保障局",
        "generated_at": now,
        "meeting": info,
        "kind_zh": KIND_ZH.get(meeting.kind, meeting.kind),
        "platform_zh": PLATFORM_ZH.get(meeting.platform) if meeting.platform else None,
        "state_zh": STATE_ZH.get(meeting.state, meeting.state),
        "prep_start": due.prep_start(meeting),
        "checks": checks,
        "register": _register(meeting),
        "shutdown_steps": list(SHUTDOWN_ZH.values()),
    }


def html(meeting: Meeting, for_pdf: bool = False) -> str:
    return render.render_html("meeting_register.html", context(meeting), for_pdf=for_pdf)


def pdf(meeting: Meeting) -> bytes:
    """The register as PDF bytes (A4, the bundled CJK font embedded)."""
    return render.render_pdf(html(meeting, for_pdf=True))


def filename(meeting: Meeting) -> str:
    return f"{TITLE}-{meeting.starts_at.astimezone(periods.CST):%Y-%m-%d}-{meeting.id}.pdf"
