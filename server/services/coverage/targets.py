"""What each visit covered (visit_target rows, and their visit_tally counts), kept exact so
coverage need not read inspections.

Anything that changes what a visit covered marks what it touched as pending: the (visit,
target) pairs of inspections stored or edited (and of the inspections they supersede), a visit
arriving after its inspections or removed, a device registered for a tag inspected earlier, a
device moved, retired, retyped or re-tagged, a room moved to another site. Just before the
transaction commits (and before coverage reads in the same session) only those rows are
recomputed from the records, their neighbours' previous_at fixed and the tallies of the visits
whose rows changed counted again (services/coverage/target_refresh.py). Locks: see there.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.orm import Session

from server.models import Device, Inspection, InspectionResult, Room, Visit, VisitTally, VisitTarget
from server.services.coverage.target_queries import (  # noqa: F401  (re-exported for callers)
    LIVE_STATUSES,
    TALLY_COLUMNS,
    TARGET_COLUMNS,
    Pending,
    per_visit,
    tallies,
    targets,
)

_PENDING = "visit_targets_pending"
_WATCHED_DEVICE = ("room_id", "status", "type_id", "tag")
_VISIT_PLACE = ("site_id", "inspection_kind", "started_at")


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
    from server.services.coverage import target_refresh as visit_target_refresh

    return visit_target_refresh.refresh(session.connection(), marks)


def rebuild_all(session: Session) -> int:
    """Recompute every visit's targets (after loading rows that bypassed the ORM); row count.
    Also the oracle the incremental refresh is tested against."""
    from server.services.coverage import target_refresh as visit_target_refresh

    conn = session.connection()
    visit_target_refresh.lock_everything(conn)
    conn.execute(sa.delete(VisitTally))
    conn.execute(sa.delete(VisitTarget))
    conn.execute(sa.insert(VisitTarget).from_select(TARGET_COLUMNS, targets(sa.true())))
    conn.execute(sa.insert(VisitTally).from_select(TALLY_COLUMNS, tallies(sa.true())))
    return conn.scalar(sa.select(sa.func.count()).select_from(VisitTarget))


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
        elif (
            isinstance(obj, Room)
            and obj not in session.new
            and (obj in session.deleted or _changed(obj, "site_id"))
        ):
            marks.rooms.add(obj.id)


def _mark_inspection(marks: Pending, obj: Inspection) -> None:
    """Every (visit, target) pair the inspection was or now is in, and what it supersedes."""
    devices = {obj.device_id, *_changed(obj, "device_id")}
    tags = {obj.tag, *_changed(obj, "tag")}
    for visit_id in {obj.visit_id, *_changed(obj, "visit_id")}:
        for device_id in devices:
            for tag in tags if device_id is None else (None,):
                marks.add_pair(visit_id, device_id, tag)
    marks.uuids.update(
        u for u in (obj.supersedes_uuid, *_changed(obj, "supersedes_uuid")) if u is not None
    )


def _mark_visit(marks: Pending, visit: Visit, is_deleted: bool) -> None:
    """A new visit: inspections that arrived first are linked to it. Visits do not change;
    one removed (or changed all the same) leaves its old place in the chains."""
    marks.visits.add(visit.id)
    old = [sa.inspect(visit).attrs[name].history.deleted for name in _VISIT_PLACE]
    if is_deleted or any(old):
        marks.removed_visits[visit.id] = tuple(
            was[0] if was else getattr(visit, name) for name, was in zip(_VISIT_PLACE, old)
        )


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
