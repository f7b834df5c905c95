"""Label batches: a selection (site, region, type, tags, never printed, printed before...) to devices."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import sqlalchemy as sa

from server import tags as tag_rules
from server.errors import Invalid
from server.extensions import db
from server.models import (
    DEVICE_KINDS,
    Device,
    DeviceType,
    PrintJobItem,
    Region,
    Room,
    Site,
    TagAlias,
)
from server.periods import CST

SELECTION_KEYS = (
    "all",
    "site",
    "region",
    "type",
    "kind",
    "tags",
    "never_printed",
    "printed_before",
)


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, errors={"json": {field: [message]}})


def check_selection(selection: dict) -> dict:
    """The selection without empty criteria; at least one criterion is required."""
    chosen = {
        k: v for k, v in selection.items() if k in SELECTION_KEYS and v not in (None, "", False, [])
    }
    if not chosen:
        raise Invalid(
            "Choose a batch: all, site, region, type, kind, tags, never_printed or printed_before.",
            errors={"json": {"all": ["no batch chosen; set all=true or give a criterion"]}},
        )
    return chosen


def select_devices(selection: dict) -> list[tuple[Device, DeviceType, Room | None, Site | None]]:
    """Devices matching every criterion, in walking order (site code, room, issue order).

    Retired devices are left out unless asked for by tag. An empty result is an error.
    """
    chosen = check_selection(selection)
    query = (
        sa.select(Device, DeviceType, Room, Site)
        .join(DeviceType, Device.type_id == DeviceType.id)
        .outerjoin(Room, Device.room_id == Room.id)
        .outerjoin(Site, Room.site_id == Site.id)
        .order_by(sa.nulls_last(Site.code.asc()), Room.name, Device.id)
    )
    for key, value in chosen.items():
        query = _FILTERS[key](query, value)
    if "tags" not in chosen:
        query = query.where(Device.status != "retired")
    rows = db.session.execute(query).all()
    if not rows:
        raise Invalid(
            f"No device matches this batch ({describe(chosen)}); widen the selection.",
            errors={"json": {"selection": ["matches no device"]}},
        )
    return rows


def _by_site(query, code: str):
    if db.session.scalar(sa.select(Site.id).where(Site.code == code)) is None:
        raise _invalid("site", f"Unknown site code '{code}'; see GET /api/v1/sites.")
    return query.where(Site.code == code)


def _by_region(query, code: str):
    region = db.session.get(Region, code)
    if region is None:
        raise _invalid(
            "region",
            f"Unknown region code '{code}'; give a prefecture or county code "
            "(e.g. 520100 or 520102), see GET /api/v1/regions.",
        )
    if region.level == "province":
        return query.where(Site.id.is_not(None))
    inside = sa.select(Region.code).where(sa.or_(Region.code == code, Region.parent_code == code))
    return query.where(Site.region_code.in_(inside))


def _by_type(query, code: str):
    if db.session.scalar(sa.select(DeviceType.id).where(DeviceType.code == code)) is None:
        raise _invalid("type", f"Unknown device type '{code}'; see GET /api/v1/device-types.")
    return query.where(DeviceType.code == code)


def _by_kind(query, kind: str):
    if kind not in DEVICE_KINDS:
        raise _invalid(
            "kind", f"Unknown device kind '{kind}'; use one of {', '.join(DEVICE_KINDS)}."
        )
    return query.where(DeviceType.kind == kind)


def _by_tags(query, raw_tags: list[str]):
    return query.where(Device.tag.in_(resolve_tags(raw_tags)))


def resolve_tags(raw_tags: list[str]) -> list[str]:
    """Validated, known, current tags; otherwise one error listing every bad one and why."""
    valid, bad = [], []
    for raw in raw_tags:
        try:
            valid.append(tag_rules.validate(raw))
        except tag_rules.TagError as exc:
            bad.append(f"{raw} ({exc})")
    known = (
        set(db.session.scalars(sa.select(Device.tag).where(Device.tag.in_(valid))))
        if valid
        else set()
    )
    retired = (
        dict(
            db.session.execute(
                sa.select(TagAlias.tag, Device.tag)
                .join(Device, TagAlias.device_id == Device.id)
                .where(TagAlias.tag.in_(valid))
            ).all()
        )
        if valid
        else {}
    )
    for tag in valid:
        if tag in retired:
            bad.append(f"{tag} (retired; the device now carries {retired[tag]}, print that)")
        elif tag not in known:
            bad.append(f"{tag} (unknown tag)")
    if bad:
        raise _invalid("tags", f"Cannot print these tags: {'; '.join(bad)}.")
    return valid


def _printed():
    """Labels printed for a device with the tag it carries now (a retired tag's label does not count,
    nor a job a printer never took: it is kept failed, to retry)."""
    from server.models import PrintJob

    done = sa.select(PrintJob.id).where(PrintJob.status == "done")
    return sa.and_(
        PrintJobItem.device_id == Device.id,
        PrintJobItem.tag == Device.tag,
        PrintJobItem.job_id.in_(done),
    )


def _never_printed(query, _value):
    return query.where(~sa.exists().where(_printed()))


def day_start(value: date | str) -> datetime:
    """Midnight (China time) starting the given day, as aware UTC."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            raise _invalid(
                "printed_before", f"'{value}' is not a date; write it as YYYY-MM-DD."
            ) from None
    return datetime.combine(value, time(), CST).astimezone(UTC)  # before midnight in Guizhou


def _printed_before(query, value):
    """Devices whose latest label for their current tag was printed before the day (never printed: no)."""
    from server.models import PrintJob

    cutoff = day_start(value)
    printed_since = sa.exists().where(
        _printed(), PrintJobItem.job_id == PrintJob.id, PrintJob.at >= cutoff
    )
    return query.where(sa.exists().where(_printed()), ~printed_since)


def _everything(query, _value):
    return query


_FILTERS = {
    "all": _everything,
    "site": _by_site,
    "region": _by_region,
    "type": _by_type,
    "kind": _by_kind,
    "tags": _by_tags,
    "never_printed": _never_printed,
    "printed_before": _printed_before,
}


def describe(selection: dict) -> str:
    """The batch in words, for the register (English, codes kept)."""
    parts = []
    for key, value in selection.items():
        if key == "all":
            parts.append("all devices")
        elif key == "tags":
            shown = ", ".join(value[:5]) + (f" and {len(value) - 5} more" if len(value) > 5 else "")
            parts.append(f"tags {shown}")
        elif key == "never_printed":
            parts.append("never printed")
        elif key == "printed_before":
            parts.append(f"printed before {value}")
        else:
            parts.append(f"{key} {value} {_name_of(key, value)}".strip())
    return "; ".join(parts)[:256]


def _name_of(key: str, code: str) -> str:
    """The name beside a code in the register, e.g. "region 520102 南明区"."""
    column = {
        "site": (Site.name, Site.code),
        "region": (Region.name, Region.code),
        "type": (DeviceType.name_zh, DeviceType.code),
    }.get(key)
    return (
        (db.session.scalar(sa.select(column[0]).where(column[1] == code)) or "") if column else ""
    )
