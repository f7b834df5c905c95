"""The demo province: the contract's 1,178 units spread over the 99 bureaus, plus spares."""

from __future__ import annotations

import hmac

import sqlalchemy as sa
from flask import current_app

from server import tags
from server.extensions import db
from server.models import Device, DeviceType, Room, Site
from server.services.core import moves, reference, users
from server.services.faults.spares import seed_spare_places

DEMO_USERS = [  # (username, display name, role, password)
    ("admin", "系统管理员", "admin", "guanli-demo-2026"),
    ("supervisor", "王主管", "supervisor", "zhuguan-demo-2026"),
    ("engineer", "李工程师", "engineer", "gongcheng-demo-2026"),
    ("engineer2", "张工程师", "engineer", "gongcheng-demo-2026"),
    ("viewer", "医保局审计员", "viewer", "shenji-demo-2026"),
]
DEMO_SPARES = {7: 2, 9: 3, 10: 1, 59: 1, 61: 1}  # contract line -> spare units
TERMINAL_LINES = (11, 7, 8)  # one terminal per bureau, large-room terminals first


def is_demo_login(username: str, password: str) -> bool:
    """The published demo password of a demo user (server/api/auth.py: changed outside the demo)."""
    return any(
        username == name and hmac.compare_digest(password.encode(), known.encode())
        for name, _, _, known in DEMO_USERS
    )


def tier_sites(sites: list[Site]) -> dict[str, list[Site]]:
    """The spread orders: province first, then prefectures, then counties (CSV order)."""
    province = [s for s in sites if s.tier == "province"]
    prefectures = [s for s in sites if s.tier == "prefecture"]
    counties = [s for s in sites if s.tier == "county"]
    return {
        "province": province,
        "all-tiers": province + prefectures + counties,
        "prefectures+guian": prefectures,
        "counties": counties,
    }


def spread(qty: int, sites: list[Site], start: int = 0) -> list[Site]:
    """qty units over the sites: an equal share each, the rest from `start` on (wrapping)."""
    share, rest = divmod(qty, len(sites))
    placed = [site for site in sites for _ in range(share)]
    placed += [sites[(start + i) % len(sites)] for i in range(rest)]
    return placed


def placements(sites: list[Site]) -> list[tuple[int, Site, str]]:
    """(contract line, site, room key) for every unit of the contract, deterministic."""
    layout = reference.read_json("device_kinds.json")["province_room"]
    groups = tier_sites(sites)
    terminal_cursor = 0
    result = []
    rows = sorted(reference.read_csv("inventory-2025.csv"), key=_terminal_lines_first)
    for row in rows:
        line, qty, scope = int(row["line"]), int(row["qty"]), row["scope"]
        if scope.startswith("province"):
            room = {
                "province-petition-office": "petition",
                "province-monitoring-room": "monitoring",
            }.get(scope)
            room = room or layout.get(str(line), "main_conference")
            result += [(line, groups["province"][0], room)] * qty
            continue
        start = terminal_cursor if line in TERMINAL_LINES else 0
        if line in TERMINAL_LINES:
            terminal_cursor += qty
        result += [(line, site, "main_conference") for site in spread(qty, groups[scope], start)]
    return result


def _terminal_lines_first(row: dict) -> tuple[int, int]:
    line = int(row["line"])
    return (TERMINAL_LINES.index(line) if line in TERMINAL_LINES else len(TERMINAL_LINES), line)


def seed_demo() -> dict:
    """Load the whole demo province into an empty database; returns counts and logins."""
    sites = reference.seed_regions_and_sites()
    rooms = reference.seed_rooms(sites)
    types = reference.seed_device_types()
    reference.seed_checklists()
    devices = []
    for number, (line, site, room_key) in enumerate(_ordered(placements(sites))):
        devices.append(
            Device(
                tag=tags.make_tag(number),
                type_id=types[line].id,
                room_id=rooms[(site.code, room_key)].id,
                status="in_service",
            )
        )
    for line, count in DEMO_SPARES.items():
        for _ in range(count):
            devices.append(
                Device(
                    tag=tags.make_tag(len(devices)),
                    type_id=types[line].id,
                    room_id=None,
                    status="spare",
                )
            )
    for device in devices:
        moves.register(device)
    db.session.flush()
    seed_spare_places()  # spares are held at the contractor's store
    logins = []
    # Outside the demo the published passwords must be replaced at first sign-in.
    must_change = not current_app.config.get("DEMO_MODE", False)
    for username, name, role, password in DEMO_USERS:
        users.create_user(username, name, role, password).must_change_password = must_change
        logins.append((username, role, password))
    return {
        "sites": len(sites),
        "rooms": len(rooms),
        "types": len(types),
        "devices": len(devices),
        "spares": sum(DEMO_SPARES.values()),
        "logins": logins,
    }


def _ordered(places: list[tuple[int, Site, str]]) -> list[tuple[int, Site, str]]:
    """Tags issued site by site, then by contract line: labels print in walking order."""
    site_order = {}
    for _, site, _ in places:
        site_order.setdefault(site.code, len(site_order))
    return sorted(places, key=lambda p: (site_order[p[1].code], p[0]))


def counts() -> dict:
    installed = db.session.scalar(
        sa.select(sa.func.count(Device.id)).where(Device.room_id.is_not(None))
    )
    return {
        "devices": db.session.scalar(sa.select(sa.func.count(Device.id))),
        "installed": installed,
        "sites": db.session.scalar(sa.select(sa.func.count(Site.id))),
        "rooms": db.session.scalar(sa.select(sa.func.count(Room.id))),
        "types": db.session.scalar(sa.select(sa.func.count(DeviceType.id))),
    }
