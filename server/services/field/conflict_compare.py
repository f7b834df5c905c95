"""A conflict's two versions side by side: the stored record and the kept push, field by field."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.extensions import db
from server.models import ChecklistTemplate, Inspection, Site, SyncConflict, Visit
from server.periods import iso
from server.services.field.results import evaluate

# The envelope fields every record has, then each comparable type's data fields.
ENVELOPE_FIELDS = ("client_time", "position")
INSPECTION_FIELDS = (
    "tag",
    "tag_source",
    "visit_uuid",
    "inspection_kind",
    "template_version",
    "notes",
    "photos",
)
VISIT_FIELDS = (
    "site_code",
    "inspection_kind",
    "started_at",
    "finished_at",
    "plan_entry_id",
    "summary",
)
TIME_FIELDS = {"client_time", "started_at", "finished_at"}


def instant(value):
    """A time as UTC with Z, so "+08:00" and "Z" spellings of one instant compare equal."""
    if isinstance(value, datetime):
        return iso(value if value.tzinfo else value.replace(tzinfo=UTC))
    if isinstance(value, str):
        try:
            return iso(datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC))
        except ValueError:
            return value
    return value


def _position(lat, lon, accuracy) -> dict | None:
    return None if lat is None or lon is None else {"lat": lat, "lon": lon, "accuracy": accuracy}


def _row(name: str, server, phone, comparable: bool = True) -> dict:
    if name in TIME_FIELDS:
        server, phone = instant(server), instant(phone)
    return {
        "field": name,
        "server": server,
        "phone": phone,
        "differs": comparable and server != phone,
    }


def _pushed_position(payload: dict) -> dict | None:
    pos = payload.get("position") or None
    return pos and _position(pos.get("lat"), pos.get("lon"), pos.get("accuracy"))


def _template(template_id) -> ChecklistTemplate | None:
    if not isinstance(template_id, int) or isinstance(template_id, bool):
        return None
    query = sa.select(ChecklistTemplate).options(selectinload(ChecklistTemplate.items))
    return db.session.scalar(query.where(ChecklistTemplate.id == template_id))


def _answer(outcome, reason, text, number, note, photos) -> dict:
    value = number if number is not None else text
    return {"outcome": outcome, "reason": reason, "value": value, "note": note, "photos": photos}


def _pushed_answers(results, template) -> dict:
    """The phone's answers judged as the server would store them (outcome, reason)."""
    items = {i.key: i for i in (template.items if template else [])}
    answers = {}
    for result in results if isinstance(results, list) else []:
        if not isinstance(result, dict) or not isinstance(result.get("key"), str):
            continue
        key, value = result["key"], result.get("value")
        note, photos = result.get("note"), list(result.get("photos") or [])
        try:
            outcome, reason, text, number = evaluate(items[key], value)
            if items[key].type == "photo" and outcome == "pass" and not photos:
                if items[key].photo_required:
                    outcome, reason = "fail", "no_photo"
        except (KeyError, ValueError, TypeError):  # not judgeable: shown as sent
            outcome, reason, text, number = None, None, value, None
        answers[key] = _answer(outcome, reason, text, number, note, photos)
    return answers


def _item_rows(stored: Inspection, data: dict) -> list[dict]:
    template = _template(data.get("template_id")) or _template(stored.template_id)
    labels = {i.key: i for i in (template.items if template else [])}
    server = {
        r.item_key: _answer(
            r.outcome, r.reason, r.value_text, r.value_number, r.note, r.photos or []
        )
        for r in stored.results
    }
    phone = _pushed_answers(data.get("results"), template)
    order = list(labels) + [k for k in [*server, *phone] if k not in labels]
    rows = []
    for key in dict.fromkeys(order):
        if key not in server and key not in phone:
            continue
        item = labels.get(key)
        rows.append(
            {
                "key": key,
                "label_zh": item.label_zh if item else None,
                "label_en": item.label_en if item else None,
                "unit": item.unit if item else None,
                "server": server.get(key),
                "phone": phone.get(key),
                "differs": server.get(key) != phone.get(key),
            }
        )
    return rows


def _inspection(stored: Inspection, payload: dict) -> dict:
    data = payload.get("data") or {}
    template = _template(stored.template_id)
    fields = [
        _row("client_time", stored.client_time, payload.get("client_time")),
        _row(
            "position",
            _position(stored.lat, stored.lon, stored.accuracy_m),
            _pushed_position(payload),
        ),
    ]
    fields += [_row(n, getattr(stored, n), data.get(n)) for n in INSPECTION_FIELDS[:-1]]
    fields.append(_row("photos", list(stored.photos or []), list(data.get("photos") or [])))
    return {
        "kind": "inspection",
        "template": template
        and {"id": template.id, "name_zh": template.name_zh, "name_en": template.name_en},
        "fields": fields,
        "items": _item_rows(stored, data),
    }


def _visit(stored: Visit, payload: dict) -> dict:
    data = payload.get("data") or {}
    site_code = db.session.scalar(sa.select(Site.code).where(Site.id == stored.site_id))
    current = {"site_code": site_code}
    fields = [
        _row("client_time", stored.client_time, payload.get("client_time")),
        _row(
            "position",
            _position(stored.lat, stored.lon, stored.accuracy_m),
            _pushed_position(payload),
        ),
    ]
    fields += [_row(n, current.get(n, getattr(stored, n, None)), data.get(n)) for n in VISIT_FIELDS]
    return {"kind": "visit", "template": None, "fields": fields, "items": []}


def _other(payload: dict) -> dict:
    """A type the page cannot read back from its tables: the phone's version only."""
    data = payload.get("data") or {}
    fields = [_row("client_time", None, payload.get("client_time"), comparable=False)]
    fields += [_row(name, None, value, comparable=False) for name, value in sorted(data.items())]
    return {"kind": "other", "template": None, "fields": fields, "items": []}


MODELS = {"inspection": (Inspection, _inspection), "visit": (Visit, _visit)}


def compare(conflict: SyncConflict, object_id: int | None) -> dict:
    """Both versions as rows of {field, server, phone, differs} (and checklist items), with how
    many rows differ. Times are UTC with Z; outcomes and kinds stay codes for the page's labels."""
    model, build = MODELS.get(conflict.record_type, (None, None))
    stored = db.session.get(model, object_id) if model and object_id else None
    versions = build(stored, conflict.payload) if stored else _other(conflict.payload)
    versions["differences"] = sum(r["differs"] for r in versions["fields"] + versions["items"])
    return versions
