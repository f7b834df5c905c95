"""What each visit covered (visit_target rows, and their visit_tally counts), kept exact so
coverage need not read inspections.

Anything that changes what a visit covered marks it (or what leads to it) as pending:
inspections stored or edited, a visit arriving after its inspections, a correction arriving
before or after its original, a device registered for a tag inspected earlier, a device moved,
retired or retyped, a room moved to another site. Pending visits are recomputed from the
rows once per transaction, just before it commits (and before coverage reads in the same
session). On PostgreSQL the recompute holds one transaction-level advisory lock until commit,
so two transactions never recompute from snapshots that miss each other's rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.models import (Device, Inspection, InspectionResult, Room, Visit, VisitTally,
                           VisitTarget)

LIVE_STATUSES = ("in_service", "faulty", "in_repair")
CHUNK = 500
# pg_advisory_xact_lock key shared by every recompute ("xj-vsum" as ASCII).
LOCK_KEY = int.from_bytes(b"xj-vsum", "big")
_PENDING = "visit_targets_pending"
_WATCHED_DEVICE = ("room_id", "status", "type_id", "tag")


@dataclass
class Pending:
    """What changed in this transaction, as the keys that lead to the visits concerned."""

    visits: set = field(default_factory=set)
    uuids: set = field(default_factory=set)  # inspections' own and superseded UUIDs
    inspections: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    devices: set = field(default_factory=set)
    rooms: set = field(default_factory=set)
    site_kinds: set = field(default_factory=set)  # (site id, kind) of visits added or removed
    removed_visits: set = field(default_factory=set)

    def __bool__(self) -> bool:
        return any((self.visits, self.uuids, self.inspections, self.tags, self.devices,
                    self.rooms, self.site_kinds))


def pending(session: Session) -> Pending:
    return session.info.setdefault(_PENDING, Pending())


def mark_inspection_rows(session: Session, rows: list[dict]) -> None:
    """Inspections inserted with Core (the sync fast path): their visits and what they supersede."""
    marks = pending(session)
    for row in rows:
        marks.visits.add(row["visit_id"])
        marks.uuids.update((row["uuid"], row["supersedes_uuid"]))


# ---- recompute -------------------------------------------------------------------------------

def refresh_pending(session: Session) -> int:
    """Flush, then recompute the targets at every site (and kind of visit) this transaction
    touched; how many such site-kind pairs. Whole sites, because a visit's previous_at depends
    on the earlier visits there."""
    session.flush()
    marks = session.info.pop(_PENDING, None)
    if not marks:
        return 0
    conn = session.connection()
    _lock(conn)
    for chunk in _chunks(sorted(marks.removed_visits)):  # SQLite does not cascade
        for table in (VisitTally, VisitTarget):
            conn.execute(sa.delete(table).where(table.visit_id.in_(chunk)))
    pairs = _site_kinds(conn, _visits_of(conn, marks))
    for site_id, kind in marks.site_kinds:
        pairs.setdefault(kind, set()).add(site_id)
    for kind, site_ids in pairs.items():
        for chunk in _chunks(sorted(site_ids)):
            chosen = sa.and_(Visit.site_id.in_(chunk), Visit.inspection_kind == kind)
            visits = sa.select(Visit.id).where(chosen)
            for table in (VisitTally, VisitTarget):
                conn.execute(sa.delete(table).where(table.visit_id.in_(visits)))
            conn.execute(sa.insert(VisitTarget).from_select(TARGET_COLUMNS, targets(chosen)))
            conn.execute(sa.insert(VisitTally).from_select(
                TALLY_COLUMNS, tallies(VisitTarget.visit_id.in_(visits))))
    return sum(len(site_ids) for site_ids in pairs.values())


def rebuild_all(session: Session) -> int:
    """Recompute every visit's targets (after loading rows that bypassed the ORM); row count."""
    conn = session.connection()
    _lock(conn)
    conn.execute(sa.delete(VisitTally))
    conn.execute(sa.delete(VisitTarget))
    conn.execute(sa.insert(VisitTarget).from_select(TARGET_COLUMNS, targets(sa.true())))
    conn.execute(sa.insert(VisitTally).from_select(TALLY_COLUMNS, tallies(sa.true())))
    return conn.scalar(sa.select(sa.func.count()).select_from(VisitTarget))


def _site_kinds(conn, visit_ids: set[int]) -> dict[str, set[int]]:
    pairs: dict[str, set[int]] = {}
    for chunk in _chunks(sorted(visit_ids)):
        for site_id, kind in conn.execute(sa.select(Visit.site_id, Visit.inspection_kind)
                                          .distinct().where(Visit.id.in_(chunk))):
            pairs.setdefault(kind, set()).add(site_id)
    return pairs


def _lock(conn) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(LOCK_KEY)))


def _visits_of(conn, marks: Pending) -> set[int]:
    """The visits the marks lead to, read after the lock (so committed rows are all seen)."""
    ids = {v for v in marks.visits if v is not None}
    lookups = [(Inspection.uuid, marks.uuids), (Inspection.id, marks.inspections),
               (Inspection.tag, marks.tags), (Inspection.device_id, marks.devices)]
    for column, keys in lookups:
        for chunk in _chunks(sorted(k for k in keys if k is not None)):
            ids.update(conn.scalars(sa.select(Inspection.visit_id).distinct()
                                    .where(column.in_(chunk), Inspection.visit_id.is_not(None))))
    for chunk in _chunks(sorted(marks.rooms)):
        ids.update(conn.scalars(
            sa.select(Inspection.visit_id).distinct().join(Device, Device.id == Inspection.device_id)
            .where(Device.room_id.in_(chunk), Inspection.visit_id.is_not(None))))
    return ids


TARGET_COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "device_id", "tag",
                  "type_id", "own", "failed_items", "previous_at")


def targets(where) -> sa.Select:
    """Each visit's distinct current targets (a device, or a tag no device has) with their
    failed items, judged by where each device stands today, and when the site's previous
    visit of that kind covered the same target; `where` picks the visits (whole sites)."""
    newer = sa.orm.aliased(Inspection)
    fails = (sa.select(sa.func.count()).where(InspectionResult.inspection_id == Inspection.id,
                                               InspectionResult.outcome == "fail")
             .scalar_subquery())
    own = sa.case((sa.and_(Room.site_id == Visit.site_id, Device.status.in_(LIVE_STATUSES)),
                   sa.true()), else_=sa.false())
    each = (sa.select(Inspection.visit_id, Visit.site_id, Visit.inspection_kind, Visit.started_at,
                      Inspection.device_id,
                      sa.case((Inspection.device_id.is_(None), Inspection.tag)).label("tag"),
                      Device.type_id, own.label("own"), fails.label("fails"))
            .join(Visit, Visit.id == Inspection.visit_id)
            .outerjoin(Device, Device.id == Inspection.device_id)
            .outerjoin(Room, Room.id == Device.room_id)
            .where(where, ~sa.exists().where(newer.supersedes_uuid == Inspection.uuid,
                                             newer.supersede_state == "valid"))  # corrections.py
            .subquery())
    keys = [each.c[name] for name in TARGET_COLUMNS[:-2]]
    per_visit = sa.select(*keys, sa.func.sum(each.c.fails).label("failed_items")).group_by(*keys)
    per_visit = per_visit.subquery()
    previous = sa.func.lag(per_visit.c.started_at, type_=per_visit.c.started_at.type).over(
        partition_by=(per_visit.c.site_id, per_visit.c.inspection_kind, per_visit.c.device_id,
                      per_visit.c.tag),
        order_by=(per_visit.c.started_at, per_visit.c.visit_id))
    return sa.select(*(per_visit.c[name] for name in TARGET_COLUMNS[:-1]),
                     previous.label("previous_at"))


TALLY_COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "own", "previous_at",
                 "targets", "failed_items")


def tallies(where) -> sa.Select:
    """visit_target rows (picked by `where`) counted per visit, own and previous_at."""
    keys = [VisitTarget.__table__.c[name] for name in TALLY_COLUMNS[:-2]]
    return (sa.select(*keys, sa.func.count(), sa.func.sum(VisitTarget.failed_items))
            .where(where).group_by(*keys))


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]


# ---- what marks a visit pending --------------------------------------------------------------

def _changed(obj, name: str) -> list:
    """The attribute's old and new values when it changed in this flush."""
    history = sa.inspect(obj).attrs[name].history
    return [*history.added, *history.deleted] if history.has_changes() else []


def _mark_objects(session: Session, flush_context) -> None:
    marks = pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Inspection):
            marks.visits.update((obj.visit_id, *_changed(obj, "visit_id")))
            marks.uuids.update((obj.uuid, obj.supersedes_uuid, *_changed(obj, "uuid"),
                                *_changed(obj, "supersedes_uuid")))
        elif isinstance(obj, InspectionResult):
            marks.inspections.update((obj.inspection_id, *_changed(obj, "inspection_id")))
        elif isinstance(obj, Visit):  # inspections that arrived first are linked to it
            marks.site_kinds.add((obj.site_id, obj.inspection_kind))
            if obj in session.deleted:
                marks.removed_visits.add(obj.id)
        elif isinstance(obj, Device):
            _mark_device(marks, obj, obj in session.new, obj in session.deleted)
        elif isinstance(obj, Room) and obj not in session.new and (
                obj in session.deleted or _changed(obj, "site_id")):
            marks.rooms.add(obj.id)


def _mark_device(marks: Pending, device: Device, is_new: bool, is_deleted: bool) -> None:
    if is_new:
        marks.tags.add(device.tag)  # earlier inspections of its tag now name it
        return
    changed = [value for name in _WATCHED_DEVICE for value in _changed(device, name)]
    if changed or is_deleted:
        marks.devices.add(device.id)
        marks.tags.update(_changed(device, "tag"))


def _before_commit(session: Session) -> None:
    if not session.in_nested_transaction():  # a savepoint's release is not the end
        refresh_pending(session)


def _forget(session: Session, transaction) -> None:
    """The outermost transaction ended: committed (marks already used) or rolled back."""
    if transaction.parent is None:
        session.info.pop(_PENDING, None)


def install_hooks() -> None:
    if not event.contains(Session, "after_flush", _mark_objects):
        event.listen(Session, "after_flush", _mark_objects)
        event.listen(Session, "before_commit", _before_commit)
        event.listen(Session, "after_transaction_end", _forget)
