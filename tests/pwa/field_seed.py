"""What a phone test needs on a live server with the reference data (tests/live_server.py), made
through the real API: devices, a quarterly plan, and counts read back from its database."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa


def current_quarter(today: date) -> str:
    return f"{today.year}Q{(today.month - 1) // 3 + 1}"


def quarterly_types(pack: dict) -> list[dict]:
    """The device types that have a quarterly checklist, in the pack's order."""
    kinds = {t["device_kind"] for t in pack["templates"] if t["inspection_kind"] == "quarterly"}
    return [t for t in pack["device_types"] if t["kind"] in kinds]


def new_device(server, room: dict | None = None, type_index: int = 0) -> dict:
    """Register a device with a quarterly checklist in `room` (default: the first room of the
    pack); the API's answer with its `type` and `room` from the pack."""
    admin = server.client("admin")
    pack = admin.get("/api/v1/sync/pull").json()
    types = quarterly_types(pack)
    dtype = types[type_index % len(types)]
    room = room or pack["rooms"][0]
    created = admin.post_json(
        "/api/v1/devices", {"type_code": dtype["code"], "room_id": room["id"]}
    )
    assert created.status == 201, created.body
    return {**created.json(), "type": dtype, "room": room}


def planned_site(server) -> dict:
    """A quarterly plan for this quarter; the engineer's first entry, its site with two devices
    (two kinds), and a device registered at another site:
    {"entry", "site", "devices": [a, b], "elsewhere": {device, "site"}}."""
    supervisor = server.client("supervisor")
    plan = supervisor.post_json(
        "/api/v1/plans",
        {"kind": "quarterly", "period": current_quarter(date.today()), "size": 30, "seed": 7},
    )
    assert plan.status == 201, plan.body
    engineer_id = server.client("engineer").get("/api/v1/auth/me").json()["user"]["id"]
    entry = min(
        (e for e in plan.json()["entries"] if e["engineer_id"] == engineer_id),
        key=lambda e: e["position"],
    )
    pack = server.client("admin").get("/api/v1/sync/pull").json()
    sites = {s["id"]: s for s in pack["sites"]}
    site = next(s for s in sites.values() if s["code"] == entry["site_code"])
    room = next(r for r in pack["rooms"] if r["site_id"] == site["id"])
    other_room = next(r for r in pack["rooms"] if r["site_id"] != site["id"])
    devices = [new_device(server, room, 0), new_device(server, room, 1)]
    elsewhere = new_device(server, other_room, 1)
    return {
        "entry": entry,
        "site": site,
        "devices": devices,
        "elsewhere": {**elsewhere, "site": sites[other_room["site_id"]]},
    }


def count(server, sql: str, **params) -> int:
    """One number from the live server's database."""
    engine = server.engine()
    try:
        with engine.connect() as conn:
            return conn.execute(sa.text(sql), params).scalar_one()
    finally:
        engine.dispose()


def execute(server, sql: str, **params) -> None:
    """Change the live server's database behind its back (what another process would do)."""
    engine = server.engine()
    try:
        with engine.begin() as conn:
            conn.execute(sa.text(sql), params)
    finally:
        engine.dispose()
