"""Fault clocks: a message when a clock is about to breach (each clock's own threshold) and
when it breaches, to the assignee, the engineers and the supervisors."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from server.extensions import db
from server.models import Device, Fault, Room
from server.periods import CST
from server.security import ON_DUTY
from server.services.faults import lifecycle, sla
from server.services.reminders.events import Event, Param, Tick

CLOCK_ZH = {"response": "响应", "work": "维修工时", "spare": "备件到位", "handling": "故障处理"}
WARN_PARAMS = (
    Param("response_left", 5),  # "response at 5 of 10 min"
    Param("spare_left", 60),
    Param("spare_urgent_left", 30),  # the urgent meeting's 2 h spare
    Param("work_left", 30),
    Param("handling_left", 30),
)
BREACH_PARAMS = (Param("recent", 60),)  # older breaches were told before, or never will matter


def _open_clocks(now: datetime, tick: Tick | None) -> list[tuple[Fault, dict]]:
    """Every open fault with its clocks at `now`, read once per tick for both fault rules."""
    cache = tick.cache if tick else {}
    if "open_clocks" not in cache:
        query = (
            sa.select(Fault)
            .where(Fault.state.in_(lifecycle.OPEN_STATES))
            .options(joinedload(Fault.device).joinedload(Device.room).joinedload(Room.site))
            .order_by(Fault.id)
        )
        faults = db.session.scalars(query).unique()
        cache["open_clocks"] = [(f, sla.clocks(lifecycle.times_of(f), now)) for f in faults]
    return cache["open_clocks"]


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


def clock_warnings(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Every running clock with no more time left than its threshold."""
    events = []
    for fault, clocks in _open_clocks(now, tick):
        for name, clock in clocks.items():
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


def clock_breaches(now: datetime, params: dict, tick: Tick | None = None) -> list[Event]:
    """Every running clock that passed its due time in the last `recent` minutes."""
    recent = timedelta(minutes=params["recent"])
    events = []
    for fault, clocks in _open_clocks(now, tick):
        for name, clock in clocks.items():
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
