"""What each visit covered (visit_target rows, and their visit_tally counts), kept exact so
coverage need not read inspections.

Anything that changes what a visit covered marks what it touched as pending: the (visit,
target) pairs of inspections stored or edited (and of the inspections they supersede), a visit
arriving after its inspections or removed, a device registered for a tag inspected earlier, a
device moved, retired, retyped or re-tagged, a room moved to another site. Just before the
transaction commits (and before coverage reads in the same session) only those rows are
recomputed from the records, their neighbours' previous_at fixed and the tallies of the visits
whose rows changed counted again (services/visit_target_refresh.py). Locks: see there.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.models import (Device, Inspection, InspectionResult, Room, Visit, VisitTally,
                           VisitTarget)

LIVE_STATUSES = ("in_service", "faulty", "in_repair")
_PENDING = "visit_targets_pending"
_WATCHED_DEVICE = ("room_id", "status", "type_id", "tag")
_VISIT_PLACE = ("site_id", "inspection_kind", "started_at")


@dataclass
class Pending:
    """What changed in this transaction, as the keys that lead to the target rows concerned."""

    visits: set = field(default_factory=set)  # whole visits (arrived after inspections, removed)
    pairs: dict = field(default_factory=dict)  # visit id -> {(device id, None) or (None, tag)}
    uuids: set = field(default_factory=set)  # superseded (or re-keyed) inspections' UUIDs
    inspections: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    devices: set = field(default_factory=set)
    rooms: set = field(default_factory=set)
    removed_visits: dict = field(default_factory=dict)  # id -> (site id, kind, started_at)
    places: dict = field(default_factory=dict)  # visit id -> (site id, kind), when known

    def __bool__(self) -> bool:
        return any((self.visits, self.pairs, self.uuids, self.inspections, self.tags,
                    self.devices, self.rooms, self.removed_visits))

    def structural(self) -> bool:
        """Changes of what devices, tags and rooms are (rare, from people, not phones)."""
        return bool(self.tags or self.devices or self.rooms or self.removed_visits)

    def add_pair(self, visit_id, device_id, tag) -> None:
        if visit_id is not None:
            self.pairs.setdefault(visit_id, set()).add(
                (device_id, None) if device_id is not None else (None, tag))


def pending(session: Session) -> Pending:
    return session.info.setdefault(_PENDING, Pending())


def mark_inspection_rows(session: Session, rows: list[dict], places: dict | None = None) -> None:
    """Inspections inserted with Core (the sync fast path): their pairs and what they supersede;
    `places`: visit id -> (site id, kind) the caller already knows (saves a query)."""
    marks = pending(session)
    marks.places.update(places or {})
    for row in rows:
        marks.add_pair(row["visit_id"], row["device_id"], row["tag"])
        if row["supersedes_uuid"] is not None:
            marks.uuids.add(row["supersedes_uuid"])


# ---- recompute -------------------------------------------------------------------------------

def refresh_pending(session: Session) -> int:
    """Flush, then bring the target rows this transaction touched (and what depends on them)
    up to date; how many target rows were written."""
    session.flush()
    marks = session.info.pop(_PENDING, None)
    if not marks:
        return 0
    from server.services import visit_target_refresh

    return visit_target_refresh.refresh(session.connection(), marks)


def rebuild_all(session: Session) -> int:
    """Recompute every visit's targets (after loading rows that bypassed the ORM); row count.
    Also the oracle the incremental refresh is tested against."""
    from server.services import visit_target_refresh

    conn = session.connection()
    visit_target_refresh.lock_everything(conn)
    conn.execute(sa.delete(VisitTally))
    conn.execute(sa.delete(VisitTarget))
    conn.execute(sa.insert(VisitTarget).from_select(TARGET_COLUMNS, targets(sa.true())))
    conn.execute(sa.insert(VisitTally).from_select(TALLY_COLUMNS, tallies(sa.true())))
    return conn.scalar(sa.select(sa.func.count()).select_from(VisitTarget))


TARGET_COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "device_id", "tag",
                  "type_id", "own", "failed_items", "previous_at")


def _not_superseded() -> sa.ColumnElement:
    """The inspection is current: no valid correction (corrections.py) supersedes it."""
    newer = sa.orm.aliased(Inspection)
    return ~sa.exists().where(newer.supersedes_uuid == Inspection.uuid,
                              newer.supersede_state == "valid")  # corrections.py


def per_visit(where) -> sa.Subquery:
    """Each visit's distinct current targets (a device, or a tag no device has) with their
    failed items, judged by where each device stands today; `where` (on Inspection and
    Visit) picks the inspections. Every column of visit_target but previous_at."""
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
            .where(where, _not_superseded())
            .subquery())
    keys = [each.c[name] for name in TARGET_COLUMNS[:-2]]
    return (sa.select(*keys, sa.func.sum(each.c.fails).label("failed_items")).group_by(*keys)
            .subquery())


def targets(where) -> sa.Select:
    """per_visit() with previous_at: when the site's previous visit of that kind covered the
    same target; `where` must pick whole sites (the from-scratch recompute)."""
    rows = per_visit(where)
    previous = sa.func.lag(rows.c.started_at, type_=rows.c.started_at.type).over(
        partition_by=(rows.c.site_id, rows.c.inspection_kind, rows.c.device_id, rows.c.tag),
        order_by=(rows.c.started_at, rows.c.visit_id))
    return sa.select(*(rows.c[name] for name in TARGET_COLUMNS[:-1]),
                     previous.label("previous_at"))


TALLY_COLUMNS = ("visit_id", "site_id", "inspection_kind", "started_at", "own", "previous_at",
                 "targets", "failed_items")


def tallies(where) -> sa.Select:
    """visit_target rows (picked by `where`) counted per visit, own and previous_at."""
    keys = [VisitTarget.__table__.c[name] for name in TALLY_COLUMNS[:-2]]
    return (sa.select(*keys, sa.func.count(), sa.func.sum(VisitTarget.failed_items))
            .where(where).group_by(*keys))


# ---- what marks a visit pending --------------------------------------------------------------

def _changed(obj, name: str) -> list:
    """The attribute's old and new values when it changed in this flush."""
    history = sa.inspect(obj).attrs[name].history
    return [*history.added, *history.deleted] if history.has_changes() else []


def _mark_objects(session: Session, flush_context) -> None:
    marks = pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, Inspection):
            _mark_inspection(marks, obj)
        elif isinstance(obj, InspectionResult):
            marks.inspections.update((obj.inspection_id, *_changed(obj, "inspection_id")))
        elif isinstance(obj, Visit):
            _mark_visit(marks, obj, obj in session.deleted)
        elif isinstance(obj, Device):
            _mark_device(marks, obj, obj in session.new, obj in session.deleted)
        elif isinstance(obj, Room) and obj not in session.new and (
                obj in session.deleted or _changed(obj, "site_id")):
            marks.rooms.add(obj.id)


def _mark_inspection(marks: Pending, obj: Inspection) -> None:
    """Every (visit, target) pair the inspection was or now is in, and what it supersedes."""
    devices = {obj.device_id, *_changed(obj, "device_id")}
    tags = {obj.tag, *_changed(obj, "tag")}
    for visit_id in {obj.visit_id, *_changed(obj, "visit_id")}:
        for device_id in devices:
            for tag in (tags if device_id is None else (None,)):
                marks.add_pair(visit_id, device_id, tag)
    marks.uuids.update(u for u in (obj.supersedes_uuid, *_changed(obj, "supersedes_uuid"))
                       if u is not None)


def _mark_visit(marks: Pending, visit: Visit, is_deleted: bool) -> None:
    """A new visit: inspections that arrived first are linked to it. Visits do not change;
    one removed (or changed all the same) leaves its old place in the chains."""
    marks.visits.add(visit.id)
    old = [sa.inspect(visit).attrs[name].history.deleted for name in _VISIT_PLACE]
    if is_deleted or any(old):
        marks.removed_visits[visit.id] = tuple(
            was[0] if was else getattr(visit, name) for name, was in zip(_VISIT_PLACE, old))


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
