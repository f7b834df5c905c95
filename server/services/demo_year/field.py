"""The engineers' field work of the demo year: visits and inspections, as the phone sends them."""

from __future__ import annotations

import zlib
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import ChecklistTemplate, Device, DeviceType, Room, Site
from server.services.demo_year.clock import Phone

FAIL_RATE = 0.03  # share of inspections with one failed item (a photo of it attached)
FAIL_NOTES = ("画面偶发闪烁", "线缆接口松动，已重新插紧", "预置位偏移", "音量偏低", "风扇噪声偏大")


def _tag_source(tag: str, made: datetime) -> str:
    """Mostly scanned, some chosen from the visit's list, a few typed (a worn label): from a
    checksum, not the year's random stream, so the rest of the demo stays as it was."""
    roll = zlib.crc32(f"{tag}{made.isoformat()}".encode()) % 100
    return "typed" if roll < 3 else "list" if roll < 15 else "camera"


def templates() -> dict[tuple[str, str], dict]:
    """(device kind, inspection kind) -> the active template as the field pack sends it."""
    rows = db.session.scalars(
        sa.select(ChecklistTemplate)
        .where(ChecklistTemplate.active.is_(True))
        .options(selectinload(ChecklistTemplate.items))
    )
    return {
        (t.device_kind, t.inspection_kind): {
            "id": t.id,
            "version": t.version,
            "items": [(i.key, i.type, i.min_value, i.max_value) for i in t.items],
        }
        for t in rows
    }


def live_devices(site_id: int) -> list[tuple[str, str]]:
    """(tag, device kind) of the units now installed at a site, in tag order."""
    rows = db.session.execute(
        sa.select(Device.tag, DeviceType.kind)
        .join(DeviceType, DeviceType.id == Device.type_id)
        .join(Room, Room.id == Device.room_id)
        .where(Room.site_id == site_id, Device.status == "in_service")
        .order_by(Device.tag)
    )
    return [(tag, kind) for tag, kind in rows]


def daily_round(site_id: int, per_kind: int = 1) -> list[tuple[str, str]]:
    """The daily health check's round: the first units of each kind (the terminal, a camera,
    the mixer...), not all of the bureau's units (docs/demo.md)."""
    seen: dict[str, int] = {}
    chosen = []
    for tag, kind in live_devices(site_id):
        if seen.get(kind, 0) < per_kind:
            seen[kind] = seen.get(kind, 0) + 1
            chosen.append((tag, kind))
    return chosen


def _answer(year, item: tuple, failed: bool) -> dict:
    key, kind, low, high = item
    if kind == "number":
        if failed and high is not None:
            return {"key": key, "value": high * 1.5 + 1, "note": "超出范围"}
        value = (low + high) / 2 if low is not None and high is not None else 1.0
        return {"key": key, "value": value}
    if kind == "text":
        return {"key": key, "value": "正常"}
    if kind == "photo":
        return {"key": key, "value": "pass", "photos": [year.photos.routine()]}
    if failed:
        note = year.rng.choice(FAIL_NOTES)
        return {"key": key, "value": "fail", "note": note, "photos": [year.photos.new()]}
    return {"key": key, "value": "pass"}


def _results(year, template: dict) -> list[dict]:
    items = template["items"]
    failing = None
    if year.rng.random() < FAIL_RATE:
        choices = [i for i in items if i[1] in ("pass_fail", "number")]
        failing = year.rng.choice(choices)[0] if choices else None
    return [_answer(year, item, item[0] == failing) for item in items]


def visit(
    year,
    phone: Phone,
    site: Site,
    kind: str,
    started: datetime,
    devices: list[tuple[str, str]],
    plan_entry_id: int | None,
    meeting_id: int | None = None,
    summary: str | None = None,
) -> datetime:
    """One visit with an inspection per device (a pre-meeting one names its meeting); pushed
    when the phone next syncs. Returns when it finished."""
    at = started
    records = []
    for tag, device_kind in devices:
        template = year.templates.get((device_kind, kind))
        if template is None:
            continue
        at += timedelta(seconds=year.rng.randint(40, 240))
        records.append((at, tag, template))
    finished = at + timedelta(minutes=year.rng.randint(2, 10))
    visit_uuid = phone.record(
        "visit",
        started,
        {
            "site_code": site.code,
            "inspection_kind": kind,
            "started_at": started.isoformat(),
            "finished_at": finished.isoformat(),
            "plan_entry_id": plan_entry_id,
            "summary": summary,
            **({"meeting_id": meeting_id} if meeting_id is not None else {}),
        },
        site.region,
    )
    for made, tag, template in records:
        phone.record(
            "inspection",
            made,
            {
                "visit_uuid": visit_uuid,
                "tag": tag,
                "tag_source": _tag_source(tag, made),
                "template_id": template["id"],
                "template_version": template["version"],
                "inspection_kind": kind,
                "results": _results(year, template),
                "notes": None,
                "photos": [],
            },
            site.region,
        )
    year.counts[f"{kind}_visits"] += 1
    year.counts["inspections"] += len(records)
    return finished  # the phone syncs at the day's end (year.py), one batch per phone
