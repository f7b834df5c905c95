"""Fault clocks: a message when a clock is about to breach (each clock's own threshold) and
when it breaches, to the assignee, the engineers and the supervisors."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from server.extensions import db
from server.models import Device, Fault
from server.periods import CST
from server.security import ON_DUTY
from server.services.faults import lifecycle, sla
from server.services.reminders.events import Event, Param

CLOCK_ZH = {"response": "响应", "work": "维修工时", "spare": "备件到位", "handling": "故障处理"}
WARN_PARAMS = (
    Param("response_left", 5),  # "response at 5 of 10 min"
    Param("spare_left", 60),
    Param("spare_urgent_left", 30),  # the urgent meeting's 2 h spare
    Param("work_left", 30),
    Param("handling_left", 30),
)
BREACH_PARAMS = (Param("recent", 60),)  # older breaches were told before, or never will matter


def _open_faults() -> list[Fault]:
    query = (
        sa.select(Fault)
        .where(Fault.state.in_(lifecycle.OPEN_STATES))
        .options(joinedload(Fault.device).joinedload(Device.room))
        .order_by(Fault.id)
    )
    return list(db.session.scalars(query).unique())


def _where(fault: Fault) -> str:
    room = fault.device.room if fault.device else None
    site = room.site.name if room and room.site else "未知单位"
    return f"{site} · {fault.device.tag if fault.device else '未知设备'}"


def _threshold(name: str, fault: Fault, params: dict) -> timedelta:
    key = "spare_urgent_left" if name == "spare" and fault.urgent_meeting else f"{name}_left"
    return timedelta(minutes=params[key])


def _audience(fault: Fault, roles: tuple[str, ...]) -> dict:
    return {"roles": roles, "user_ids": (fault.assignee_id,) if fault.assignee_id else ()}


def _hhmm(moment: datetime) -> str:
    return moment.astimezone(CST).strftime("%m-%d %H:%M")


def clock_warnings(now: datetime, params: dict) -> list[Event]:
    """Every running clock with no more time left than its threshold."""
    events = []
    for fault in _open_faults():
        for name, clock in sla.clocks(lifecycle.times_of(fault), now).items():
            if clock.state not in ("running", "about_to_breach") or clock.remaining_seconds is None:
                continue
            if timedelta(seconds=clock.remaining_seconds) > _threshold(name, fault, params):
                continue
            minutes = max(1, clock.remaining_seconds // 60)
            events.append(
                Event(
                    rule="fault_clock_warning",
                    key=f"fault:{fault.id}:{name}",
                    title=f"故障 #{fault.id} {CLOCK_ZH[name]}时限还剩 {minutes} 分钟",
                    lines=(
                        f"故障 #{fault.id}：{_where(fault)}",
                        f"{CLOCK_ZH[name]}时限 {_hhmm(clock.due_at)} 到期，还剩 {minutes} 分钟。",
                        f"描述：{fault.description[:80]}",
                    ),
                    path=f"/faults?fault={fault.id}",
                    **_audience(fault, ON_DUTY),
                )
            )
    return events


def clock_breaches(now: datetime, params: dict) -> list[Event]:
    """Every running clock that passed its due time in the last `recent` minutes."""
    recent = timedelta(minutes=params["recent"])
    events = []
    for fault in _open_faults():
        for name, clock in sla.clocks(lifecycle.times_of(fault), now).items():
            if clock.state != "breached" or clock.stopped_at or now - clock.due_at > recent:
                continue
            events.append(
                Event(
                    rule="fault_clock_breach",
                    key=f"fault:{fault.id}:{name}",
                    title=f"故障 #{fault.id} 已超出{CLOCK_ZH[name]}时限",
                    lines=(
                        f"故障 #{fault.id}：{_where(fault)}",
                        f"{CLOCK_ZH[name]}时限 {_hhmm(clock.due_at)} 已到期，请立即处理并记录。",
                    ),
                    path=f"/faults?fault={fault.id}",
                    urgent=True,
                    **_audience(fault, ON_DUTY),
                )
            )
    return events
