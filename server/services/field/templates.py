"""The checklist templates a push needs (a version's rows never change), kept in the push's
batch cache: read by inspections._lookup with the devices, or one query for a room check."""

from __future__ import annotations

from dataclasses import dataclass, fields

import sqlalchemy as sa

from server.extensions import db
from server.models import ChecklistItem, ChecklistTemplate
from server.services.field.batch import batch_cache, invalid


@dataclass(frozen=True)
class _Template:
    """What storing an inspection needs of its template (rows of a version never change)."""

    id: int
    version: int
    inspection_kind: str


@dataclass(frozen=True)
class _Item:
    key: str
    type: str
    min_value: float | None
    max_value: float | None
    photo_required: bool
    required: bool


_ITEM_COLUMNS = [getattr(ChecklistItem, f.name) for f in fields(_Item)]


def template_for_record(template_id: int, version: int) -> tuple[_Template, dict]:
    """The template and its items for a record that does not go through _lookup (a room
    check): read once per push in one query, into the same batch cache."""
    cache = batch_cache("templates")
    if template_id not in cache:
        query = (
            sa.select(ChecklistTemplate.version, ChecklistTemplate.inspection_kind, *_ITEM_COLUMNS)
            .outerjoin(ChecklistItem, ChecklistItem.template_id == ChecklistTemplate.id)
            .where(ChecklistTemplate.id == template_id)
        )
        with db.session.no_autoflush:
            rows = db.session.execute(query).all()
        cache[template_id] = (
            _Template(template_id, rows[0][0], rows[0][1]) if rows else None,
            {row[2]: _Item(*row[2:]) for row in rows if row[2] is not None},
        )
    return _template(template_id, version)


def _template(template_id: int, version: int) -> tuple[_Template, dict]:
    """The template and its items by key, read by _lookup with the devices and visits."""
    template, items = batch_cache("templates").get(template_id, (None, {}))
    if template is None:
        raise invalid(
            "template_id", f"No checklist template {template_id}; pull the field pack again."
        )
    if template.version != version:
        raise invalid(
            "template_version",
            f"Template {template_id} is version {template.version}, not {version}.",
        )
    return template, items
