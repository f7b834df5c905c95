"""Reference data every installation needs: regions, bureaus, device types, checklists."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import sqlalchemy as sa

from server.extensions import db
from server.models import (
    SITE_CHECK_DEVICE_KIND,
    SITE_CHECK_KIND,
    SITE_CHECK_SECTIONS,
    ChecklistItem,
    ChecklistTemplate,
    DeviceType,
    Region,
    Room,
    Site,
)

SEED_DIR = Path(__file__).resolve().parents[2] / "seed_data"
ITEM_TYPES_BY_LETTER = {"q": "quarterly", "m": "monthly", "d": "daily", "p": "pre_meeting"}


def read_csv(name: str) -> list[dict]:
    with open(SEED_DIR / name, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def read_json(name: str) -> dict:
    return json.loads((SEED_DIR / name).read_text(encoding="utf-8"))


def bureau_name(region: dict) -> str:
    return "贵州省医疗保障局" if region["level"] == "province" else f"{region['name']}医疗保障局"


def site_tier(level: str) -> str:
    return "prefecture" if level == "new-area" else level


def seed_regions_and_sites() -> list[Site]:
    """One region row per division and one bureau per region, in CSV order."""
    rows = read_csv("guizhou-divisions.csv")
    for row in rows:
        db.session.add(
            Region(
                code=row["code"],
                name=row["name"],
                level=row["level"],
                kind=row["kind"],
                parent_code=row["parent_code"] or None,
                lon=float(row["lon"]),
                lat=float(row["lat"]),
            )
        )
    db.session.flush()
    sites = [
        Site(
            code=row["code"],
            name=bureau_name(row),
            tier=site_tier(row["level"]),
            region_code=row["code"],
        )
        for row in rows
    ]
    db.session.add_all(sites)
    db.session.flush()
    return sites


def seed_rooms(sites: list[Site]) -> dict[tuple[str, str], Room]:
    """Every bureau has a main conference room; the province bureau has four more."""
    layout = read_json("device_kinds.json")["rooms"]
    rooms: dict[tuple[str, str], Room] = {}
    for site in sites:
        keys = list(layout) if site.tier == "province" else ["main_conference"]
        for key in keys:
            name, kind = layout[key]
            rooms[(site.code, key)] = Room(site_id=site.id, name=name, kind=kind)
    db.session.add_all(rooms.values())
    db.session.flush()
    return rooms


def split_model(model: str) -> tuple[str | None, str | None]:
    """'捷视飞通 ISMP1000' -> ('捷视飞通', 'ISMP1000')."""
    if not model:
        return None, None
    maker, _, rest = model.partition(" ")
    return (maker, rest) if rest else (None, maker)


def seed_device_types() -> dict[int, DeviceType]:
    kinds = read_json("device_kinds.json")["kind"]
    types = {}
    for row in read_csv("inventory-2025.csv"):
        line = int(row["line"])
        maker, model = split_model(row["model"])
        types[line] = DeviceType(
            code=f"L{line:02d}",
            kind=kinds[str(line)],
            name_zh=row["name_zh"],
            name_en=row["name_en"],
            model=model,
            manufacturer=maker,
            contract_line=line,
        )
    db.session.add_all(types.values())
    db.session.flush()
    return types


def seed_checklists() -> list[ChecklistTemplate]:
    """One template per device kind and inspection kind, from checklists.json."""
    spec = read_json("checklists.json")
    templates = []
    for kind, kind_spec in spec["kinds"].items():
        for letter, inspection_kind in ITEM_TYPES_BY_LETTER.items():
            items = [item for item in kind_spec["items"] if letter in item["in"]]
            if not items:
                continue
            ik_zh, ik_en = spec["inspection_kinds"][inspection_kind]
            template = ChecklistTemplate(
                key=f"{kind}.{inspection_kind}",
                version=1,
                device_kind=kind,
                inspection_kind=inspection_kind,
                name_zh=f"{kind_spec['zh']}{ik_zh}",
                name_en=f"{kind_spec['en']} {ik_en}",
            )
            template.items = [_item(pos, item, kind) for pos, item in enumerate(items)]
            templates.append(template)
    templates.append(site_check_template(spec))
    db.session.add_all(templates)
    db.session.flush()
    return templates


def site_check_items(spec: dict) -> list[tuple[str, dict]]:
    """The room checklist's items: the daily items of SITE_CHECK_SECTIONS, as (section, item)
    with the key made unique across sections (`display.image`), then an optional note."""
    items = [
        (kind, {**item, "key": f"{kind}.{item['key']}"})
        for kind in SITE_CHECK_SECTIONS
        for item in spec["kinds"][kind]["items"]
        if "d" in item["in"]
    ]
    note = {"key": "notes", "zh": "其他情况", "en": "Other observations", "type": "text"}
    return [*items, ("general", {**note, "required": False})]


def site_check_template(spec: dict) -> ChecklistTemplate:
    """The site-level daily check: one checklist for a room (display, camera, audio, network,
    conference), recorded without scanning each unit (docs/meetings.md)."""
    template = ChecklistTemplate(
        key=SITE_CHECK_KIND,
        version=1,
        device_kind=SITE_CHECK_DEVICE_KIND,
        inspection_kind="daily",
        name_zh="会议室每日场所检查",
        name_en="Room daily site check",
    )
    rows = site_check_items(spec)
    template.items = [_item(pos, item, section) for pos, (section, item) in enumerate(rows)]
    return template


def _item(position: int, item: dict, section: str) -> ChecklistItem:
    return ChecklistItem(
        position=position,
        key=item["key"],
        section=section,
        label_zh=item["zh"],
        label_en=item["en"],
        type=item["type"],
        unit=item.get("unit"),
        min_value=item.get("min"),
        max_value=item.get("max"),
        photo_required=item.get("photo", False),
        required=item.get("required", True),
    )


def is_seeded() -> bool:
    return bool(db.session.scalar(sa.select(sa.func.count(Region.code))))
