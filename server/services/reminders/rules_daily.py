"""The daily check of the province bureau's equipment: not recorded by a set time on a working
day, to the engineers; later, to the supervisors (holidays and weekends owe none)."""

from __future__ import annotations

from datetime import datetime

from server.periods import CST, local_day
from server.services.calendar import daily_checks, workdays
from server.services.reminders.events import Event, Param, Tick

PARAMS = (Param("at", "10:00", kind="time"), Param("escalate_at", "11:00", kind="time"))


def _past(now: datetime, hhmm: str) -> bool:
    return now.astimezone(CST).strftime("%H:%M") >= hhmm


def daily_check_missing(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Today's daily check not recorded: the engineers at `at`, the supervisors at `escalate_at`."""
    today = local_day(now)
    if not _past(now, params["at"]) or not workdays.is_working_day(today):
        return []
    site = daily_checks.province_bureau()
    if site is None or today in daily_checks.checked_days(site.id, today, today):
        return []
    stages = [("engineer", params["at"])]
    if _past(now, params["escalate_at"]):
        stages.append(("supervisor", params["escalate_at"]))
    return [
        Event(
            rule="daily_check_missing",
            key=f"daily:{today.isoformat()}:{role}",
            title=f"{today:%m月%d日} 的日常巡检还没有记录",
            lines=(
                f"{site.name}：今天（工作日）到 {hhmm} 还没有完成的日常巡检。",
                "漏检一天扣 1 分，请尽快到场检查并在手机上记录。",
            ),
            path="/coverage",
            roles=(role,),
        )
        for role, hhmm in stages
    ]
