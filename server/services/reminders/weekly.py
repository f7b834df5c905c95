"""The weekly summary to supervisors (Monday from 09:00): last week's faults, breaches and
daily checks, and how the contract-term score moved, each figure from the same services as
the pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from server.errors import AppError
from server.periods import CST, day_start, local_day
from server.security import SUPERVISORS
from server.services.assessment import scorer
from server.services.calendar import daily_checks
from server.services.faults import lifecycle, reports, sla
from server.services.reminders.events import Event, Param, Tick

PARAMS = (Param("at", "09:00", kind="time"),)


def _score(last: date, now: datetime) -> int | None:
    """The score of the contract term up to `last`, or None outside the term."""
    try:
        result = scorer.assess(date(last.year, 1, 1), last, now=now)
    except AppError:
        return None
    return result.total


def weekly_summary(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    local = now.astimezone(CST)
    if local.weekday() != 0 or local.strftime("%H:%M") < params["at"]:
        return []
    monday = local_day(now) - timedelta(days=7)
    key = f"week:{monday.isoformat()}"
    if tick and tick.known("weekly_summary", key):  # costly figures: once queued, no more
        return []
    sunday = monday + timedelta(days=6)
    faults = reports.period_faults(day_start(monday), day_start(sunday + timedelta(days=1)))
    breached = sum(
        any(c.breached for c in sla.clocks(lifecycle.times_of(f), now).values()) for f in faults
    )
    missed = daily_checks.missed_daily_checks(monday, sunday)
    lines = [
        f"{monday:%m月%d日}—{sunday:%m月%d日}：新报故障 {len(faults)} 起，"
        f"超时 {breached} 起；日常巡检漏检 {len(missed)} 天。"
    ]
    before, after = _score(monday - timedelta(days=1), now), _score(sunday, now)
    if after is not None:
        moved = "" if before is None else f"（上周前 {before} 分，变化 {after - before:+d}）"
        lines.append(f"合同期考核得分 {after} 分{moved}。")
    return [
        Event(
            rule="weekly_summary",
            key=key,
            title=f"巡检周报 {monday:%m月%d日}—{sunday:%m月%d日}",
            lines=tuple(lines),
            path="/assessment",
            roles=SUPERVISORS,
        )
    ]
