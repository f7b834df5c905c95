"""Builders of pushed records (docs/sync.md), from field-pack rows, as the phone makes them."""

from __future__ import annotations

import uuid as uuidlib
from datetime import UTC, datetime, timedelta


def now_iso(offset: timedelta = timedelta(0)) -> str:
    return (datetime.now(UTC) + offset).isoformat()


def answer(item: dict, photo: str | None = None) -> dict:
    """A passing answer to a checklist item of the pack."""
    if item["type"] == "number":
        low, high = item.get("min"), item.get("max")
        value = (low + high) / 2 if low is not None and high is not None else 1.0
        return {"key": item["key"], "value": value}
    if item["type"] == "text":
        return {"key": item["key"], "value": "正常 ok"}
    if item["type"] == "photo":
        return {"key": item["key"], "value": "pass", "photos": [photo] if photo else []}
    return {"key": item["key"], "value": "pass"}


def visit(site_code: str, kind: str = "quarterly", uuid: str | None = None, **data) -> dict:
    return envelope(
        "visit",
        {
            "site_code": site_code,
            "inspection_kind": kind,
            "started_at": now_iso(timedelta(hours=-1)),
            **data,
        },
        uuid,
    )


def inspection(
    template: dict,
    tag: str,
    visit_uuid: str | None = None,
    uuid: str | None = None,
    photo: str | None = None,
    **data,
) -> dict:
    body = {
        "visit_uuid": visit_uuid,
        "tag": tag,
        "template_id": template["id"],
        "template_version": template["version"],
        "inspection_kind": template["inspection_kind"],
        "results": [answer(i, photo) for i in template["items"]],
        "notes": None,
        "photos": [photo] if photo else [],
    }
    body.update(data)
    return envelope("inspection", body, uuid)


def envelope(rtype: str, data: dict, uuid: str | None = None) -> dict:
    return {
        "uuid": uuid or str(uuidlib.uuid4()),
        "type": rtype,
        "client_time": now_iso(),
        "app_version": "0.1.0",
        "position": {"lat": 26.6, "lon": 106.7, "accuracy": 12.0},
        "data": data,
    }


def recorded_at(uuid: str, rtype: str, data: dict, at) -> dict:
    """A record made at a given moment (a datetime), with a fixed uuid and position."""
    return {
        "uuid": uuid,
        "type": rtype,
        "client_time": at.isoformat(),
        "app_version": "test",
        "position": {"lat": 26.57, "lon": 106.71, "accuracy": 15.0},
        "data": data,
    }


def site_check(
    template: dict,
    room_id: int,
    visit_uuid: str | None = None,
    uuid: str | None = None,
    **data,
) -> dict:
    """A room's daily checklist (the pack's `room.daily` template), every item passing."""
    body = {
        "visit_uuid": visit_uuid,
        "room_id": room_id,
        "template_id": template["id"],
        "template_version": template["version"],
        "checked_at": now_iso(timedelta(minutes=-30)),
        "results": [answer(i) for i in template["items"]],
        "notes": None,
        "photos": [],
    }
    body.update(data)
    return envelope("site_check", body, uuid)
