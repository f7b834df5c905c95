"""Storing pushed inspections with their results: many at once, judged against their checklist
template, linked to device and visit, corrections settled, coverage rows marked."""

from __future__ import annotations

import json

import sqlalchemy as sa

from server import tags
from server.extensions import db
from server.models import (
    ChecklistItem,
    ChecklistTemplate,
    Device,
    Inspection,
    InspectionResult,
    Visit,
)
from server.services.coverage import targets as visit_targets
from server.services.field import corrections
from server.services.field.batch import batch_cache, invalid, meta_columns
from server.services.field.results import evaluate_results
from server.services.field.templates import _ITEM_COLUMNS, _Item, _Template, _template
from server.services.sync import bulk_insert
from server.services.sync.registry import RecordMeta


def _inspection_row(data: dict, meta: RecordMeta) -> tuple[dict, list[dict]]:
    """The inspection's row and its result rows, or Invalid saying what is wrong."""
    tag = _tag(data)
    template, items = _template(data["template_id"], data["template_version"])
    if template.inspection_kind != data["inspection_kind"]:
        raise invalid(
            "inspection_kind",
            f"Template {template.id} is for '{template.inspection_kind}' "
            f"inspections, not '{data['inspection_kind']}'.",
        )
    if data["supersedes"] is not None and str(data["supersedes"]) == meta.uuid:
        raise invalid("supersedes", "An inspection cannot supersede itself.")
    results, outcome = evaluate_results(data["results"], items)
    row = {
        "visit_uuid": str(data["visit_uuid"]) if data["visit_uuid"] else None,
        "visit_id": None,
        "device_id": None,
        "tag": tag,
        "tag_source": data.get("tag_source"),
        "template_id": template.id,
        "template_version": template.version,
        "inspection_kind": data["inspection_kind"],
        "outcome": outcome,
        "notes": data["notes"],
        "photos": data["photos"],
        "supersedes_uuid": str(data["supersedes"]) if data["supersedes"] else None,
        **meta_columns(meta),
    }
    return row, results


def _tag(data: dict) -> str:
    try:
        return tags.validate(data["tag"])
    except tags.TagError as exc:
        raise invalid("tag", str(exc)) from None


def _nulls(*types) -> list:
    """Typed: PostgreSQL unifies the column types of a union's parts."""
    return [sa.cast(sa.null(), t) for t in types]


_ITEM_TYPES = (sa.String, sa.String, sa.Float, sa.Float, sa.Boolean, sa.Boolean)


def _lookup_parts() -> dict:
    """The parts of the one lookup of a push, as (kind, key, id, int, text, *item columns)."""
    devices = sa.select(
        sa.literal("device"), Device.tag, Device.id, *_nulls(sa.Integer, sa.String, *_ITEM_TYPES)
    ).where(Device.tag.in_(sa.bindparam("tags", expanding=True)))
    visits = sa.select(
        sa.literal("visit"),
        Visit.uuid,
        Visit.id,
        Visit.site_id,
        Visit.inspection_kind,
        *_nulls(*_ITEM_TYPES),
    ).where(Visit.uuid.in_(sa.bindparam("visits", expanding=True)))
    templates = (
        sa.select(
            sa.literal("template"),
            sa.cast(sa.null(), sa.String),
            ChecklistTemplate.id,
            ChecklistTemplate.version,
            ChecklistTemplate.inspection_kind,
            *_ITEM_COLUMNS,
        )
        .outerjoin(ChecklistItem, ChecklistItem.template_id == ChecklistTemplate.id)
        .where(ChecklistTemplate.id.in_(sa.bindparam("templates", expanding=True)))
    )
    return {
        "waiting": corrections.waiting_query(*_nulls(*_ITEM_TYPES)),
        "visits": visits,
        "templates": templates,
        "devices": devices,
    }


def _lookups() -> dict:
    parts = _lookup_parts()
    return {
        (visits, templates): sa.union_all(
            parts["devices"],
            parts["waiting"],
            *([parts["visits"]] if visits else []),
            *([parts["templates"]] if templates else []),
        )
        for visits in (False, True)
        for templates in (False, True)
    }


# Built once (building a union per request cost more Python than running it): devices and
# waiting corrections, plus the visits the batch did not carry when it names others and the
# checklist templates not read yet in this push (with their items).
_LOOKUP = _lookups()


def _lookup(batch: list[tuple[dict, RecordMeta]]) -> tuple[dict, dict, dict, bool]:
    """One query for what storing the batch needs: devices by tag, visits by UUID, (site
    id, kind) by visit id for the coverage refresh, the templates (into the batch cache),
    and whether a pending correction stored earlier names one of the records (else
    corrections.settle has nothing to read: the same round trip answers it)."""
    tag_list = sorted({_tag(data) for data, _ in batch})
    visit_uuids = sorted({str(d["visit_uuid"]) for d, _ in batch if d["visit_uuid"]})
    templates = batch_cache("templates")
    wanted = sorted({d["template_id"] for d, _ in batch} - set(templates))
    visits = {
        u: (v.id, v.site_id, v.inspection_kind)
        for u, v in batch_cache("visits").items()
        if v.id is not None
    }
    missing = [u for u in visit_uuids if u not in visits]
    params = {
        "tags": tag_list,
        "uuids": [meta.uuid for _, meta in batch],
        "visits": missing,
        "templates": wanted,
    }
    devices, waiting, items = {}, False, {t: [] for t in wanted}
    with db.session.no_autoflush:
        for kind, key, row_id, number, text, *item in db.session.execute(
            _LOOKUP[bool(missing), bool(wanted)], params
        ):
            if kind == "device":
                devices[key] = row_id
            elif kind == "waiting":
                waiting = True
            elif kind == "visit":
                visits[key] = (row_id, number, text)
            else:
                items[row_id].append((number, text, item))
    for template_id, rows in items.items():  # rows of a template version never change
        templates[template_id] = (
            _Template(template_id, rows[0][0], rows[0][1]) if rows else None,
            {item[0]: _Item(*item) for _, _, item in rows if item[0] is not None},
        )
    places = {visit_id: (site_id, kind) for visit_id, site_id, kind in visits.values()}
    return devices, visits, places, waiting


_RESULT_COLUMNS = (
    "inspection_id",
    "item_key",
    "outcome",
    "reason",
    "value_text",
    "value_number",
    "note",
    "photos",
)


def _insert_results(rows: list[dict]) -> None:
    """Result rows (20 an inspection): COPY on PostgreSQL, where an executemany sends one
    INSERT per row and a many-row INSERT costs psycopg more to parse than to run."""
    if db.session.get_bind().dialect.name != "postgresql":
        db.session.execute(InspectionResult.__table__.insert(), rows)
        return
    import psycopg

    raw = db.session.connection().connection.driver_connection
    statement = f"COPY inspection_result ({', '.join(_RESULT_COLUMNS)}) FROM STDIN"
    try:
        with raw.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(
                    [
                        json.dumps(row[name]) if name == "photos" else row[name]
                        for name in _RESULT_COLUMNS
                    ]
                )
    except psycopg.Error as exc:  # as SQLAlchemy would raise it: the push engine handles those
        raise sa.exc.DBAPIError.instance(statement, None, exc, psycopg.Error) from exc


def _insert_inspections(rows: list[dict]) -> list[int]:
    """The rows' ids in order: one unnest INSERT on PostgreSQL (sync/bulk_insert.py), else an
    executemany."""
    table = Inspection.__table__
    if db.session.get_bind().dialect.name == "postgresql":
        ids = dict(
            (uuid, id_)
            for id_, uuid in bulk_insert.insert(
                db.session.connection(), table, rows, ("id", "uuid")
            )
        )
        return [ids[row["uuid"]] for row in rows]
    statement = table.insert().returning(table.c.id, sort_by_parameter_order=True)
    return db.session.execute(statement, rows).scalars().all()


def store_inspections(batch: list[tuple[dict, RecordMeta]]) -> list[int]:
    """Insert many inspections with their results in two statements; their ids in order."""
    devices, visits, places, waiting = _lookup(batch)
    prepared = [_inspection_row(data, meta) for data, meta in batch]
    rows = [row for row, _ in prepared]
    for row in rows:
        row["device_id"] = devices.get(row["tag"])
        row["visit_id"] = visits.get(row["visit_uuid"], (None,))[0]
    # "Pushed by a supervisor" (docs/sync.md, Corrections): the receiver when there is one, e.g.
    # the supervisor accepting another engineer's conflicting version.
    pushers = [(meta.received_by or meta.user).role for _, meta in batch]
    corrections.check(db.session, rows, pushers)
    ids = _insert_inspections(rows)
    corrections.settle(db.session, rows, waiting)
    visit_targets.mark_inspection_rows(db.session(), rows, places)
    result_rows = [
        dict(result, inspection_id=inspection_id)
        for inspection_id, (_, results) in zip(ids, prepared)
        for result in results
    ]
    if result_rows:
        _insert_results(result_rows)
    return list(ids)


def store_inspection(data: dict, meta: RecordMeta) -> Inspection:
    db.session.flush()  # visits of this batch get their ids
    (inspection_id,) = store_inspections([(data, meta)])
    return db.session.get(Inspection, inspection_id)
