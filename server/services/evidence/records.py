"""The stored rows of accepted records compared with what their phone sent (the chain's
payload): a field edited in the database after acceptance is named, with both values."""

from __future__ import annotations

from types import SimpleNamespace

import sqlalchemy as sa
from sqlalchemy.orm import selectinload

from server.errors import AppError
from server.extensions import db
from server.models import Fault, Inspection, Site, Swap, Visit, VisitFinish
from server.periods import iso
from server.services.field.batch import batch_cache
from server.services.field.inspections import _inspection_row, _lookup
from server.services.sync.registry import RECORD_TYPES, RecordMeta
from server.services.sync.store import forget_batch_caches

# Record types stored as a FieldRecord row (uuid, who, both clocks, where, content hash).
MODELS = {
    "visit": Visit,
    "inspection": Inspection,
    "visit_finish": VisitFinish,
    "fault": Fault,
    "swap": Swap,
}
_RESULT_FIELDS = ("item_key", "outcome", "reason", "value_text", "value_number", "note", "photos")
_INSPECTION_FIELDS = (
    "tag",
    "tag_source",
    "template_id",
    "template_version",
    "inspection_kind",
    "outcome",
)
_INSPECTION_FIELDS += ("notes", "photos", "visit_uuid", "supersedes_uuid")


def _same(a, b) -> bool:
    if hasattr(a, "isoformat") and hasattr(b, "isoformat"):
        return iso(a) == iso(b)
    return a == b


def _load(link) -> dict:
    schema = RECORD_TYPES[link.record_type].schema()
    return schema.load(link.payload["data"])


def _meta(link) -> RecordMeta:
    """The meta the record had when stored, rebuilt from its link and payload."""
    from datetime import datetime

    position = link.payload.get("position") or {}
    return RecordMeta(
        uuid=link.record_uuid,
        user=SimpleNamespace(id=link.user_id),
        client_time=datetime.fromisoformat(link.payload["client_time"].replace("Z", "+00:00")),
        server_time=link.server_time,
        clock_skew_seconds=0,
        lat=position.get("lat"),
        lon=position.get("lon"),
        accuracy_m=position.get("accuracy"),
        app_version=None,
        content_hash=link.content_hash,
    )


def _common(link, row, meta: RecordMeta) -> list[str]:
    """Who, both clocks, where and the content hash of a FieldRecord row."""
    expected = {
        "content_hash": link.content_hash,
        "user_id": link.user_id,
        "client_time": meta.client_time,
        "server_time": link.server_time,
        "lat": meta.lat,
        "lon": meta.lon,
        "accuracy_m": meta.accuracy_m,
    }
    return [
        f"{name}: stored {getattr(row, name)!r}, recorded {value!r}"
        for name, value in expected.items()
        if not _same(getattr(row, name), value)
    ]


def _prime(links: list) -> None:
    """Read the checklist templates of these inspections, as a push does (one query)."""
    batch = []
    for link in links:
        try:
            batch.append((_load(link), _meta(link)))
        except Exception:  # noqa: BLE001 - named per record by _inspection
            continue
    if batch:
        _lookup(batch)


def _inspection(link, row: Inspection, meta: RecordMeta) -> list[str]:
    try:
        expected, results = _inspection_row(_load(link), meta)
    except (AppError, Exception) as exc:  # noqa: BLE001 - a record that no longer re-judges
        return [f"cannot be re-judged from what the phone sent: {exc}"]
    found = [
        f"{name}: stored {getattr(row, name)!r}, recorded {expected[name]!r}"
        for name in _INSPECTION_FIELDS
        if not _same(getattr(row, name), expected[name])
    ]
    stored = [{f: getattr(r, f) for f in _RESULT_FIELDS} for r in row.results]
    if len(stored) != len(results):
        found.append(f"results: {len(stored)} stored, {len(results)} recorded")
    for got, want in zip(stored, results):
        found += [
            f"result {want['item_key']} {name}: stored {got[name]!r}, recorded {want[name]!r}"
            for name in _RESULT_FIELDS
            if not _same(got[name], want[name])
        ]
    return found


def _visit(link, row: Visit, meta: RecordMeta) -> list[str]:
    data = _load(link)  # finished_at/summary may change later (visit_finish): not compared
    expected = {"inspection_kind": data["inspection_kind"], "started_at": data["started_at"]}
    # The site its code names (codes are not reused); plan and meeting links are the server's.
    sites = batch_cache("sites")  # as the push reads them: once per code per chunk
    if data["site_code"] not in sites:
        sites[data["site_code"]] = db.session.execute(
            sa.select(Site.id, Site.tier).where(Site.code == data["site_code"])
        ).first()
    expected["site_id"] = (sites[data["site_code"]] or (None,))[0]
    return _compare(row, expected)


def _visit_finish(link, row: VisitFinish, meta: RecordMeta) -> list[str]:
    """Which visit it finishes, when, and its summary (its state is the server's: applied...)."""
    data = _load(link)
    expected = {"visit_uuid": str(data["visit_uuid"]), "finished_at": data["finished_at"]}
    expected["summary"] = data.get("summary")
    return _compare(row, expected)


def _device_id(tag: str) -> int | None:
    """The device a tag names now (a retired alias leads to its device), None if none."""
    from server.errors import NotFound
    from server.services.core import devices

    try:
        return devices.get_by_tag(tag).id
    except NotFound:
        return None


def _compare(row, expected: dict) -> list[str]:
    return [
        f"{name}: stored {getattr(row, name)!r}, recorded {value!r}"
        for name, value in expected.items()
        if not _same(getattr(row, name), value)
    ]


def _fault(link, row: Fault, meta: RecordMeta) -> list[str]:
    """A fault's own fields (its state and step clocks move later: the steps' own records)."""
    data = _load(link)
    expected = {name: data.get(name) for name in ("tag_source", "reported_at", "description")}
    expected |= {name: data[name] for name in ("severity", "urgent_meeting", "source", "photos")}
    expected["device_id"] = _device_id(data["tag"])
    return _compare(row, expected)


def _swap(link, row: Swap, meta: RecordMeta) -> list[str]:
    """A swap's units, their tag sources, time and grade (its state is a supervisor's later)."""
    data = _load(link)
    expected = {
        "faulty_device_id": _device_id(data["faulty_tag"]),
        "spare_device_id": _device_id(data["spare_tag"]),
        "faulty_tag_source": data.get("faulty_tag_source"),
        "spare_tag_source": data.get("spare_tag_source"),
        "swapped_at": data["swapped_at"],
        "better_grade": data["better_grade"],
    }
    if data.get("fault_uuid"):  # else the fault was found (or linked later) by the server
        expected["fault_uuid"] = data["fault_uuid"]
    if data.get("expected_room_id") is not None:
        expected["room_id"] = data["expected_room_id"]
    return _compare(row, expected)


_DETAIL = {
    "inspection": _inspection,
    "visit": _visit,
    "visit_finish": _visit_finish,
    "fault": _fault,
    "swap": _swap,
}


def differences(links: list) -> dict[str, list[str]]:
    """uuid -> what differs, for the links whose type is stored as a FieldRecord row."""
    found: dict[str, list[str]] = {}
    for name, model in MODELS.items():
        mine = {link.record_uuid: link for link in links if link.record_type == name}
        if not mine:
            continue
        query = sa.select(model).where(model.uuid.in_(list(mine)))
        if model is Inspection:
            query = query.options(selectinload(Inspection.results))
        rows = {row.uuid: row for row in db.session.scalars(query)}
        if model is Inspection:
            _prime(list(mine.values()))
        for uuid, link in mine.items():
            row = rows.get(uuid)
            if row is None:
                found[uuid] = [f"the {name} row is gone from the database"]
                continue
            meta = _meta(link)
            problems = _common(link, row, meta)
            if detail := _DETAIL.get(name):
                problems += detail(link, row, meta)
            if problems:
                found[uuid] = problems
    forget_batch_caches()
    return found
