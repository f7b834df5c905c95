"""The `visit` and `inspection` record types the phone pushes (registered with the sync engine)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields

import marshmallow as ma
import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from server import tags
from server.errors import Invalid
from server.extensions import db
from server.models import (
    INSPECTION_KINDS,
    ChecklistItem,
    ChecklistTemplate,
    Device,
    Inspection,
    InspectionResult,
    PlanEntry,
    Site,
    Visit,
    utcnow,
)
from server.services.core.photo_store import SHA256_RE
from server.services.coverage import targets as visit_targets
from server.services.field import corrections
from server.services.field.results import ResultsField, evaluate_results
from server.services.sync.limits import INT32, int32
from server.services.sync.registry import RecordMeta, RecordType

Sha = ma.fields.String(validate=ma.validate.Regexp(SHA256_RE, error="not a lowercase hex SHA-256"))


class VisitData(ma.Schema):
    site_code = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=32))
    inspection_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INSPECTION_KINDS))
    started_at = ma.fields.AwareDateTime(required=True)
    finished_at = ma.fields.AwareDateTime(load_default=None, allow_none=True)
    plan_entry_id = ma.fields.Integer(load_default=None, allow_none=True, validate=INT32)
    summary = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )


class InspectionData(ma.Schema):
    visit_uuid = ma.fields.UUID(load_default=None, allow_none=True)
    tag = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    template_id = ma.fields.Integer(required=True, validate=INT32)
    template_version = ma.fields.Integer(required=True, validate=INT32)
    inspection_kind = ma.fields.String(required=True, validate=ma.validate.OneOf(INSPECTION_KINDS))
    results = ResultsField(load_default=list)
    notes = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )
    photos = ma.fields.List(Sha, load_default=list, validate=ma.validate.Length(max=50))
    supersedes = ma.fields.UUID(load_default=None, allow_none=True)

    KEYS = {
        "visit_uuid",
        "tag",
        "template_id",
        "template_version",
        "inspection_kind",
        "results",
        "notes",
        "photos",
        "supersedes",
    }

    def fast_load(self, raw: dict) -> dict | None:
        """load() for the well-formed case without marshmallow's per-field cost; None when
        anything is unusual (load() then says precisely what is wrong)."""
        get = raw.get
        notes, photos = get("notes"), get("photos", [])
        if not (
            raw.keys() <= self.KEYS
            and type(get("tag")) is str
            and 0 < len(raw["tag"]) <= 64
            and int32(get("template_id"))
            and int32(get("template_version"))
            and get("inspection_kind") in INSPECTION_KINDS
            and (notes is None or (type(notes) is str and len(notes) <= 4000))
            and type(photos) is list
            and len(photos) <= 50
            and all(type(p) is str and SHA256_RE.match(p) for p in photos)
        ):
            return None
        try:
            visit_uuid, supersedes = (
                _uuid_or_none(get("visit_uuid")),
                _uuid_or_none(get("supersedes")),
            )
            results = ResultsField()._deserialize(get("results", []), "results", raw)
        except (ValueError, TypeError, ma.ValidationError):
            return None
        return {
            "visit_uuid": visit_uuid,
            "tag": raw["tag"],
            "template_id": raw["template_id"],
            "template_version": raw["template_version"],
            "inspection_kind": raw["inspection_kind"],
            "results": results,
            "notes": notes,
            "photos": photos,
            "supersedes": supersedes,
        }


def _uuid_or_none(value):
    import uuid

    if value is None:
        return None
    if type(value) is not str:
        raise TypeError("not a string")
    return uuid.UUID(value)


def _meta_columns(meta: RecordMeta) -> dict:
    return {
        "uuid": meta.uuid,
        "user_id": meta.user.id,
        "client_time": meta.client_time,
        "server_time": meta.server_time,
        "clock_skew_seconds": meta.clock_skew_seconds,
        "lat": meta.lat,
        "lon": meta.lon,
        "accuracy_m": meta.accuracy_m,
        "app_version": meta.app_version,
        "content_hash": meta.content_hash,
    }


def _invalid(field: str, message: str) -> Invalid:
    return Invalid(message, errors={"data": {field: [message]}})


def _batch_cache(name: str) -> dict:
    """Lookups shared by the records of one push (dropped after it; see services/sync/engine.py)."""
    return db.session.info.setdefault(f"sync_{name}", {})


# ---- visit -----------------------------------------------------------------------------------


def store_visit(data: dict, meta: RecordMeta) -> Visit:
    sites = _batch_cache("sites")
    if data["site_code"] not in sites:
        with db.session.no_autoflush:
            sites[data["site_code"]] = db.session.scalar(
                sa.select(Site.id).where(Site.code == data["site_code"])
            )
    site_id = sites[data["site_code"]]
    if site_id is None:
        raise _invalid(
            "site_code",
            f"No site has the code '{data['site_code']}'; pull the field "
            "pack again and pick a site from it.",
        )
    if data["finished_at"] and data["finished_at"] < data["started_at"]:
        raise _invalid("finished_at", "A visit cannot finish before it started.")
    _touch_plan_entry(data["plan_entry_id"])
    visit = Visit(
        site_id=site_id,
        inspection_kind=data["inspection_kind"],
        started_at=data["started_at"],
        finished_at=data["finished_at"],
        plan_entry_id=data["plan_entry_id"],
        summary=data["summary"],
        **_meta_columns(meta),
    )
    db.session.add(visit)
    _batch_cache("visits")[meta.uuid] = visit
    return visit


def _touch_plan_entry(entry_id: int | None) -> None:
    """Check the entry exists and mark it changed, so the next delta pull sends it `visited`."""
    if entry_id is None:
        return
    entry = db.session.get(PlanEntry, entry_id)
    if entry is None:
        raise _invalid(
            "plan_entry_id",
            f"No plan entry has the id {entry_id}; pull the field pack "
            "again and start the visit from the Today screen.",
        )
    entry.updated_at = utcnow()


def link_visits(visits: list[Visit]) -> None:
    """Point inspections (and finishes) that arrived before their visit (this or an earlier
    batch) at it."""
    from server.services.field import visit_finish  # registers after visit and inspection

    for visit in visits:
        db.session.execute(
            sa.update(Inspection)
            .where(Inspection.visit_uuid == visit.uuid, Inspection.visit_id.is_(None))
            .values(visit_id=visit.id)
        )
    visit_finish.apply_waiting(visits)


# ---- inspection ------------------------------------------------------------------------------


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
_TEMPLATE_QUERY = (
    sa.select(ChecklistTemplate.version, ChecklistTemplate.inspection_kind, *_ITEM_COLUMNS)
    .outerjoin(ChecklistItem, ChecklistItem.template_id == ChecklistTemplate.id)
    .where(ChecklistTemplate.id == sa.bindparam("template_id"))
)


def _template(template_id: int, version: int) -> tuple[_Template, dict]:
    """The template and its items by key, read once per push in one plain query."""
    cache = _batch_cache("templates")
    if template_id not in cache:
        with db.session.no_autoflush:
            rows = db.session.execute(_TEMPLATE_QUERY, {"template_id": template_id}).all()
        cache[template_id] = (
            _Template(template_id, rows[0][0], rows[0][1]) if rows else None,
            {row[2]: _Item(*row[2:]) for row in rows if row[2] is not None},
        )
    template, items = cache[template_id]
    if template is None:
        raise _invalid(
            "template_id", f"No checklist template {template_id}; pull the field pack again."
        )
    if template.version != version:
        raise _invalid(
            "template_version",
            f"Template {template_id} is version {template.version}, not {version}.",
        )
    return template, items


def _inspection_row(data: dict, meta: RecordMeta) -> tuple[dict, list[dict]]:
    """The inspection's row and its result rows, or Invalid saying what is wrong."""
    try:
        tag = tags.validate(data["tag"])
    except tags.TagError as exc:
        raise _invalid("tag", str(exc)) from None
    template, items = _template(data["template_id"], data["template_version"])
    if template.inspection_kind != data["inspection_kind"]:
        raise _invalid(
            "inspection_kind",
            f"Template {template.id} is for '{template.inspection_kind}' "
            f"inspections, not '{data['inspection_kind']}'.",
        )
    if data["supersedes"] is not None and str(data["supersedes"]) == meta.uuid:
        raise _invalid("supersedes", "An inspection cannot supersede itself.")
    results, outcome = evaluate_results(data["results"], items)
    row = {
        "visit_uuid": str(data["visit_uuid"]) if data["visit_uuid"] else None,
        "visit_id": None,
        "device_id": None,
        "tag": tag,
        "template_id": template.id,
        "template_version": template.version,
        "inspection_kind": data["inspection_kind"],
        "outcome": outcome,
        "notes": data["notes"],
        "photos": data["photos"],
        "supersedes_uuid": str(data["supersedes"]) if data["supersedes"] else None,
        **_meta_columns(meta),
    }
    return row, results


def _link_ids(rows: list[dict]) -> dict:
    """Fill device_id and visit_id from one query (the batch's visits are flushed); returns
    the visits' (site id, kind) by id, for the coverage refresh."""
    tag_list = sorted({r["tag"] for r in rows})
    visit_uuids = sorted({r["visit_uuid"] for r in rows if r["visit_uuid"]})
    visits = {
        u: (v.id, v.site_id, v.inspection_kind)
        for u, v in _batch_cache("visits").items()
        if v.id is not None
    }
    missing = [u for u in visit_uuids if u not in visits]
    query = sa.select(sa.literal("device"), Device.tag, Device.id, sa.null(), sa.null()).where(
        Device.tag.in_(tag_list)
    )
    if missing:  # one round trip for both
        query = sa.union_all(
            query,
            sa.select(
                sa.literal("visit"), Visit.uuid, Visit.id, Visit.site_id, Visit.inspection_kind
            ).where(Visit.uuid.in_(missing)),
        )
    devices = {}
    with db.session.no_autoflush:
        for kind, key, row_id, site_id, inspection_kind in db.session.execute(query):
            if kind == "device":
                devices[key] = row_id
            else:
                visits[key] = (row_id, site_id, inspection_kind)
    for row in rows:
        row["device_id"] = devices.get(row["tag"])
        row["visit_id"] = visits.get(row["visit_uuid"], (None,))[0]
    return {visit_id: (site_id, kind) for visit_id, site_id, kind in visits.values()}


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


def store_inspections(batch: list[tuple[dict, RecordMeta]]) -> list[int]:
    """Insert many inspections with their results in two statements; their ids in order."""
    prepared = [_inspection_row(data, meta) for data, meta in batch]
    rows = [row for row, _ in prepared]
    places = _link_ids(rows)
    corrections.check(db.session, rows, [meta.user.role for _, meta in batch])
    table = Inspection.__table__
    ids = (
        db.session.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
        .all()
    )
    corrections.settle(db.session, rows)
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


def _resolve_new_devices(session: Session, flush_context, instances) -> None:
    """An inspection of a tag not yet known gets its device when the device is registered."""
    new_devices = [obj for obj in session.new if isinstance(obj, Device)]
    session.info.setdefault("field_new_devices", []).extend(new_devices)


def _after_flush(session: Session, flush_context) -> None:
    for device in session.info.pop("field_new_devices", []):
        session.connection().execute(
            sa.update(Inspection)
            .where(Inspection.tag == device.tag, Inspection.device_id.is_(None))
            .values(device_id=device.id)
        )


def install_hooks() -> None:
    if not event.contains(Session, "before_flush", _resolve_new_devices):
        event.listen(Session, "before_flush", _resolve_new_devices)
        event.listen(Session, "after_flush", _after_flush)


TYPES = [
    RecordType(name="visit", schema=VisitData, store=store_visit, after_batch=link_visits),
    RecordType(
        name="inspection",
        schema=InspectionData,
        store=store_inspection,
        store_many=store_inspections,
    ),
]  # registered by record_types.register_all
