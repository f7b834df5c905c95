"""Reminders about work left undone: a meeting's checks past due, plan entries overdue and a
quarter behind schedule, spare stock below its threshold, records waiting for review."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from server.extensions import db
from server.models import Inspection, Meeting, Plan, PlanEntry, Site, Visit
from server.periods import CST, day_start, local_day, quarter_dates, quarter_key
from server.security import SUPERVISORS
from server.services.faults import spares
from server.services.meetings import due
from server.services.reminders.events import Event, Param, Tick
from server.services.review import records

CHECK_ZH = {
    "arrival": "到场",
    "switch_on": "开机确认",
    "checklist": "会前检查",
    "joint_test": "联调测试",
}
MEETING_PARAMS = (Param("grace", 5),)
PLAN_PARAMS = (Param("behind_ratio", 0.5, kind="ratio"), Param("left_ratio", 0.34, kind="ratio"))
REVIEW_PARAMS = (Param("hours", 24, kind="count", minimum=1),)


def meeting_checks_late(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Each check of a meeting starting within the day that is `grace` minutes past due."""
    grace = timedelta(minutes=params["grace"])
    meetings = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.state == "scheduled",
            Meeting.starts_at > now - timedelta(hours=2),
            Meeting.starts_at < now + timedelta(days=1),
        )
    )
    events = []
    for meeting in meetings:
        late = [
            c
            for c in due.due_checks(meeting, now)
            if c["state"] == "late" and datetime.fromisoformat(c["due_at"]) + grace <= now
        ]
        for check in late:
            events.append(
                Event(
                    rule="meeting_check_late",
                    key=f"meeting:{meeting.id}:{check['key']}",
                    title=f"会议“{meeting.title[:30]}”的{CHECK_ZH[check['kind']]}还没有完成",
                    lines=(
                        f"{meeting.starts_at.astimezone(CST):%m-%d %H:%M} 开始：{meeting.title}",
                        f"{CHECK_ZH[check['kind']]}（{check['subject']}）应在 "
                        f"{datetime.fromisoformat(check['due_at']).astimezone(CST):%H:%M} 前完成。",
                    ),
                    path=f"/meetings?meeting={meeting.id}",
                    roles=SUPERVISORS,
                    user_ids=tuple(e.user_id for e in meeting.engineers),
                )
            )
    return events


def _quarter_entries(today) -> tuple[Plan | None, list[tuple[PlanEntry, bool]], tuple]:
    year, quarter = today.year, (today.month - 1) // 3 + 1
    start, end = quarter_dates(year, quarter)
    plan = db.session.scalar(
        sa.select(Plan).where(
            Plan.kind == "quarterly",
            Plan.status == "active",
            Plan.period == quarter_key(year, quarter),
        )
    )
    if plan is None:
        return None, [], (start, end)
    visited = set(
        db.session.scalars(
            sa.select(Visit.site_id).where(
                Visit.inspection_kind == "quarterly",
                Visit.started_at >= day_start(start),
                Visit.started_at < day_start(end),
            )
        )
    )
    entries = [e for e in plan.entries if e.state == "planned"]
    return plan, [(e, e.site_id in visited) for e in entries], (start, end)


def plan_behind(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Planned sites past their due date unvisited; the quarter behind schedule."""
    today = local_day(now)
    plan, entries, (start, end) = _quarter_entries(today)
    if plan is None:
        return []
    events = []
    names = dict(db.session.execute(sa.select(Site.id, Site.name)).all())
    for entry, visited in entries:
        if not visited and entry.due_date < today:
            events.append(
                Event(
                    rule="plan_behind",
                    key=f"entry:{entry.id}",
                    title=f"抽检计划：{names.get(entry.site_id, '')} 已过期未巡检",
                    lines=(
                        f"{plan.period} 计划的 {names.get(entry.site_id, '')} 应在 {entry.due_date} 前巡检。",
                    ),
                    path=f"/coverage?quarter={plan.period}",
                    roles=SUPERVISORS,
                    user_ids=(entry.engineer_id,) if entry.engineer_id else (),
                )
            )
    left = (end - today).days / max(1, (end - start).days)
    done = sum(visited for _, visited in entries)
    if entries and left <= params["left_ratio"] and done < params["behind_ratio"] * len(entries):
        events.append(
            Event(
                rule="plan_behind",
                key=f"quarter:{plan.period}",
                title=f"{plan.period} 抽检进度落后",
                lines=(
                    f"本季度只剩 {left:.0%} 的时间，{len(entries)} 个计划单位只巡检了 {done} 个。",
                ),
                path=f"/coverage?quarter={plan.period}",
                roles=SUPERVISORS,
            )
        )
    return events


def spare_low(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Each spare type below its threshold, once a day while it stays low."""
    today = local_day(now).isoformat()
    return [
        Event(
            rule="spare_low",
            key=f"spare:{row['type_code']}:{today}",
            title=f"备件不足：{row['name_zh']}",
            lines=(
                f"{row['name_zh']}（{row['type_code']}）备件只有 {row['count']} 台，下限 {row['min_count']} 台。",
            ),
            path="/faults",
            roles=SUPERVISORS,
        )
        for row in spares.pool_summary()["low_stock"]
    ]


def review_waiting(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Records waiting for review (a phone clock off, photos missing) for more than `hours`."""
    before = now - timedelta(hours=params["hours"])
    events = []
    for kind, what in (("clock", "手机时间偏差过大"), ("photos", "缺少照片")):
        count = db.session.scalar(
            sa.select(sa.func.count()).select_from(
                records.records_query(kind).where(Inspection.server_time < before).subquery()
            )
        )
        if count:
            events.append(
                Event(
                    rule="review_waiting",
                    key=f"review:{kind}:{local_day(now).isoformat()}",
                    title=f"{count} 条记录待审核（{what}）",
                    lines=(f"有 {count} 条{what}的记录超过 {params['hours']} 小时还没有审核。",),
                    path="/review",
                    roles=SUPERVISORS,
                )
            )
    return events
