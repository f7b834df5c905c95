"""Field-pack sections of the core: sites, rooms, device types, devices, checklist templates."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import ChecklistTemplate, Device, DeviceType, Room, Site
from server.services.sync.registry import PackSection


def _changed(model, since: datetime | None, *options, where=None):
    query = sa.select(model).order_by(model.id)
    if options:
        query = query.options(*options)
    if where is not None:
        query = query.where(where)
    if since is not None:
        query = query.where(model.updated_at >= since)
    return db.session.scalars(query).all()


def _site(site: Site) -> dict:
    return {
        "id": site.id,
        "code": site.code,
        "name": site.name,
        "tier": site.tier,
        "region_code": site.region_code,
        "prefecture_code": site.prefecture_code,
    }  # the API's names


def _room(room: Room) -> dict:
    return {"id": room.id, "site_id": room.site_id, "name": room.name, "kind": room.kind}


def _device_type(dtype: DeviceType) -> dict:
    return {
        "id": dtype.id,
        "code": dtype.code,
        "kind": dtype.kind,
        "name_zh": dtype.name_zh,
        "name_en": dtype.name_en,
        "model": dtype.model,
    }


def _device(device: Device) -> dict:
    return {
        "id": device.id,
        "tag": device.tag,
        "type_id": device.type_id,
        "room_id": device.room_id,
        "status": device.status,
        "serial": device.serial,
    }


def _item(item) -> dict:
    row = {
        "key": item.key,
        "section": item.section,
        "label_zh": item.label_zh,
        "label_en": item.label_en,
        "type": item.type,
    }
    optional = {"unit": item.unit, "min": item.min_value, "max": item.max_value}
    row.update({k: v for k, v in optional.items() if v is not None})
    if item.photo_required:
        row["photo_required"] = True
    if not item.required:
        row["required"] = False
    return row


def _template(template: ChecklistTemplate) -> dict:
    return {
        "id": template.id,
        "key": template.key,
        "version": template.version,
        "device_kind": template.device_kind,
        "inspection_kind": template.inspection_kind,
        "name_zh": template.name_zh,
        "name_en": template.name_en,
        "items": [_item(i) for i in template.items],
    }


def _inactive_templates(user, since: datetime) -> list[int]:
    query = sa.select(ChecklistTemplate.id).where(
        ChecklistTemplate.active.is_(False), ChecklistTemplate.updated_at >= since
    )
    return list(db.session.scalars(query))


SECTIONS = [
    PackSection(
        "sites", lambda user, since: _changed(Site, since, selectinload(Site.region)), _site
    ),
    PackSection("rooms", lambda user, since: _changed(Room, since), _room),
    PackSection("device_types", lambda user, since: _changed(DeviceType, since), _device_type),
    PackSection("devices", lambda user, since: _changed(Device, since), _device),
    PackSection(
        "templates",
        lambda user, since: _changed(
            ChecklistTemplate,
            since,
            selectinload(ChecklistTemplate.items),
            where=ChecklistTemplate.active.is_(True),
        ),
        _template,
        deleted_since=_inactive_templates,
    ),
]
