"""Keep visit_target and visit_tally exact by touching only what a transaction changed.

The marks (services/visit_targets.py) become a Scope: whole visits, whole targets (a device
or an unknown tag, at every visit) and (visit, target) pairs. The scope's stored rows are
compared with a recompute of the same rows from the records; only the differences are
written. previous_at is then fixed where it can have changed: on rows inserted, and on the
next row of the same target at the same site and kind after every row inserted or removed
(a row's previous_at is its predecessor's start in (started_at, visit_id) order, so no other
row's can change). Last, the tallies of the visits whose rows changed are counted again.

Locks (PostgreSQL, transaction-level advisory locks held until commit): a push takes one lock
per (site, kind) of the visits it touches, in sorted order, plus a shared "world" lock, so
pushes for different sites run in parallel while two transactions writing the same site's
chains never read snapshots missing each other's rows. A change of what devices, tags or rooms
are (or a removed visit) reaches visits anywhere, even ones a running push is adding, so it
takes the world lock exclusively: it waits for running pushes and they wait for it. SQLite
has one writer at a time and needs none of this.
"""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.models import Device, Inspection, Visit, VisitTally, VisitTarget
from server.services.visit_targets import TALLY_COLUMNS, TARGET_COLUMNS, Pending, per_visit, tallies

CHUNK = 500
MAX_PAIR_VISITS = 50  # more visits named by pairs than this: take them whole
_VALUES = ("site_id", "inspection_kind", "started_at", "type_id", "own", "failed_items")


def _lock_class(name: str) -> int:
    """A signed 32-bit advisory-lock class id for a name (the two-integer key space)."""
    return zlib.crc32(f"xunjian.visit_target.{name}".encode()) - 2**31


WORLD = (_lock_class("world"), 0)


@dataclass
class Scope:
    """Target rows to bring up to date: a closed set of (visit, device, tag) keys."""

    visits: set = field(default_factory=set)
    devices: set = field(default_factory=set)
    tags: set = field(default_factory=set)
    pairs: dict = field(default_factory=dict)  # visit id -> {(device id, None) or (None, tag)}

    def where(self, visit_id, device_id, tag) -> sa.ColumnElement:
        """The same condition on visit_target's columns or an inspection's, so the rows read
        and the rows recomputed are the same keys."""
        terms = []
        if self.visits:
            terms.append(visit_id.in_(sorted(self.visits)))
        if self.devices:
            terms.append(device_id.in_(sorted(self.devices)))
        if self.tags:
            terms.append(sa.and_(device_id.is_(None), tag.in_(sorted(self.tags))))
        for visit, keys in sorted(self.pairs.items()):
            devices = sorted(d for d, _ in keys if d is not None)
            unknown = sorted(t for d, t in keys if d is None)
            either = [device_id.in_(devices)] if devices else []
            if unknown:
                either.append(sa.and_(device_id.is_(None), tag.in_(unknown)))
            terms.append(sa.and_(visit_id == visit, sa.or_(*either)))
        return sa.or_(*terms) if terms else sa.false()

    def chunks(self):
        """Scopes of at most CHUNK keys each (bound parameters stay few); rows in two of them
        are simply found up to date the second time."""
        for name in ("visits", "devices", "tags"):
            values = sorted(getattr(self, name))
            for start in range(0, len(values), CHUNK):
                yield Scope(**{name: set(values[start:start + CHUNK])})
        pairs = sorted(self.pairs.items())
        for start in range(0, len(pairs), MAX_PAIR_VISITS):
            yield Scope(pairs=dict(pairs[start:start + MAX_PAIR_VISITS]))


@dataclass
class Changes:
    """What the comparison wrote, for the previous_at and tally passes."""

    inserted: list = field(default_factory=list)  # visit_target ids
    removed: list = field(default_factory=list)  # (site, kind, started_at, visit, device, tag)
    visits: set = field(default_factory=set)  # whose tallies to count again
    written: int = 0


def refresh(conn, marks: Pending) -> int:
    """Bring the rows the marks lead to up to date; how many target rows were written."""
    if marks.structural():
        lock_everything(conn)
    scope = _resolve(conn, marks)
    if not marks.structural():
        _lock_sites(conn, _site_kinds(conn, set(scope.visits) | set(scope.pairs)))
    changes = Changes()
    for removed_id in marks.removed_visits:  # SQLite does not cascade
        conn.execute(sa.delete(VisitTarget).where(VisitTarget.visit_id == removed_id))
    changes.visits.update(marks.removed_visits)
    for part in scope.chunks():
        _compare(conn, part, changes)
    _fix_previous(conn, changes, marks.removed_visits)
    _recount(conn, changes.visits)
    return changes.written


def _resolve(conn, marks: Pending) -> Scope:
    """The marks as keys of target rows (read after the lock for structural changes)."""
    scope = Scope(visits={v for v in marks.visits if v is not None},
                  devices=set(marks.devices), tags={t for t in marks.tags if t is not None})
    for visit_id, keys in marks.pairs.items():
        scope.pairs.setdefault(visit_id, set()).update(keys)
    for column, values in ((Inspection.uuid, marks.uuids), (Inspection.id, marks.inspections)):
        for chunk in _chunks(sorted(values)):
            for visit_id, device_id, tag in conn.execute(
                    sa.select(Inspection.visit_id, Inspection.device_id, Inspection.tag)
                    .where(column.in_(chunk), Inspection.visit_id.is_not(None))):
                scope.pairs.setdefault(visit_id, set()).add(
                    (device_id, None) if device_id is not None else (None, tag))
    for chunk in _chunks(sorted(marks.rooms)):
        scope.devices.update(conn.scalars(sa.select(Device.id).where(Device.room_id.in_(chunk))))
    for chunk in _chunks(sorted(scope.tags)):  # inspections of the tag that now name a device
        scope.devices.update(conn.scalars(
            sa.select(Inspection.device_id).distinct()
            .where(Inspection.tag.in_(chunk), Inspection.device_id.is_not(None))))
    for visit_id in scope.visits:
        scope.pairs.pop(visit_id, None)
    return scope


def _site_kinds(conn, visit_ids: set[int]) -> set[tuple[int, str]]:
    pairs = set()
    for chunk in _chunks(sorted(visit_ids)):
        pairs.update(tuple(r) for r in conn.execute(sa.select(Visit.site_id, Visit.inspection_kind).distinct()
                                  .where(Visit.id.in_(chunk))).all())
    return pairs


def lock_everything(conn) -> None:
    """The world lock, exclusively: no push runs until this transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(*WORLD)))


def _lock_sites(conn, site_kinds: set[tuple[int, str]]) -> None:
    """The world lock shared, then one lock per (site, kind) in one global order (no deadlock
    between two pushes however their sites overlap)."""
    if conn.dialect.name != "postgresql" or not site_kinds:
        return
    conn.execute(sa.select(sa.func.pg_advisory_xact_lock_shared(*WORLD)))
    keys = sorted((_lock_class(f"site.{kind}"), site_id) for site_id, kind in site_kinds)
    conn.execute(sa.text("SELECT count(pg_advisory_xact_lock(c, o)) FROM "
                         "unnest(CAST(:c AS integer[]), CAST(:o AS integer[])) AS k(c, o)"),
                 {"c": [c for c, _ in keys], "o": [o for _, o in keys]})


# ---- compare stored rows with a recompute ---------------------------------------------------

def _compare(conn, scope: Scope, changes: Changes) -> None:
    stored: dict[tuple, tuple] = {}
    extra: list[int] = []
    for row in conn.execute(sa.select(VisitTarget.id, VisitTarget.visit_id, VisitTarget.device_id,
                                      VisitTarget.tag, *(VisitTarget.__table__.c[n] for n in _VALUES))
                            .where(scope.where(VisitTarget.visit_id, VisitTarget.device_id,
                                               VisitTarget.tag))):
        key = (row.visit_id, row.device_id, row.tag)
        if key in stored:  # cannot happen when kept by this module; heal it all the same
            extra.append(row.id)
        stored[key] = (row.id, *_normal(row[4:]))
    fresh = {}
    rows = per_visit(scope.where(Inspection.visit_id, Inspection.device_id, Inspection.tag))
    for row in conn.execute(sa.select(rows)):
        fresh[(row.visit_id, row.device_id, row.tag)] = _normal(
            tuple(getattr(row, name) for name in _VALUES))
    gone = [key for key in stored if key not in fresh or stored[key][1:4] != fresh[key][:3]]
    new = [key for key in fresh if key not in stored or key in gone]
    changed = [key for key in fresh if key in stored and key not in gone
               and stored[key][1:] != fresh[key]]
    _delete(conn, extra + [stored[key][0] for key in gone])
    changes.removed += [(*stored[key][1:4], *key) for key in gone]
    _update(conn, [(stored[key][0], fresh[key]) for key in changed])
    changes.inserted += _insert(conn, [(key, fresh[key]) for key in new])
    changes.visits.update(key[0] for key in (*gone, *new, *changed))
    changes.written += len(extra) + len(gone) + len(new) + len(changed)


def _normal(values: tuple) -> tuple:
    """(site, kind, started_at, type, own, failed) as plain Python values on both databases."""
    site_id, kind, started_at, type_id, own, failed = values
    return site_id, kind, started_at, type_id, bool(own), int(failed or 0)


def _delete(conn, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        conn.execute(sa.delete(VisitTarget).where(VisitTarget.id.in_(chunk)))


def _update(conn, rows: list[tuple[int, tuple]]) -> None:
    if rows:
        conn.execute(sa.update(VisitTarget.__table__)
                     .where(VisitTarget.__table__.c.id == sa.bindparam("row_id"))
                     .values(type_id=sa.bindparam("new_type"), own=sa.bindparam("new_own"),
                             failed_items=sa.bindparam("new_failed")),
                     [{"row_id": row_id, "new_type": values[3], "new_own": values[4],
                       "new_failed": values[5]} for row_id, values in rows])


def _insert(conn, rows: list[tuple[tuple, tuple]]) -> list[int]:
    """New rows with previous_at left empty (fixed once every row of the pass is in)."""
    if not rows:
        return []
    table = VisitTarget.__table__
    params = [dict(zip(TARGET_COLUMNS, (key[0], *values[:3], key[1], key[2], *values[3:], None)))
              for key, values in rows]
    return list(conn.execute(table.insert().returning(table.c.id, sort_by_parameter_order=True),
                             params).scalars())


# ---- previous_at and tallies ----------------------------------------------------------------

def _fix_previous(conn, changes: Changes, removed_visits: dict) -> None:
    """Recompute previous_at of the rows inserted and of the next row after each row
    inserted or removed (same site, kind and target)."""
    fix = set(changes.inserted)
    later = aliased(VisitTarget, name="later")
    for device_rows in (True, False):
        first = aliased(VisitTarget, name="first")
        same = (later.device_id == first.device_id if device_rows
                else sa.and_(later.device_id.is_(None), later.tag == first.tag))
        nxt = _next_row(later, same, first.site_id, first.inspection_kind, first.started_at,
                        first.visit_id)
        for chunk in _chunks(changes.inserted):
            fix.update(conn.scalars(sa.select(nxt).where(
                first.id.in_(chunk), first.device_id.is_not(None) if device_rows
                else first.device_id.is_(None))))
    for site_id, kind, started_at, visit_id, device_id, tag in changes.removed:
        same = (later.device_id == device_id if device_id is not None
                else sa.and_(later.device_id.is_(None), later.tag == tag))
        fix.add(conn.scalar(sa.select(_next_row(later, same, site_id, kind, started_at, visit_id))))
    for visit_id, (site_id, kind, started_at) in removed_visits.items():
        # Its rows may be gone already (ON DELETE CASCADE): the rows that followed one of them
        # are those whose previous_at is its start.
        fix.update(conn.scalars(sa.select(later.id).where(
            later.site_id == site_id, later.inspection_kind == kind,
            later.previous_at == started_at, _after(later, started_at, visit_id))))
    fix.discard(None)
    table = VisitTarget.__table__
    for chunk in _chunks(sorted(fix)):
        for device_rows in (True, False):
            earlier = aliased(VisitTarget, name="earlier")
            same = (earlier.device_id == table.c.device_id if device_rows
                    else sa.and_(earlier.device_id.is_(None), earlier.tag == table.c.tag))
            changes.visits.update(conn.scalars(
                sa.update(table).where(table.c.id.in_(chunk),
                                       table.c.device_id.is_not(None) if device_rows
                                       else table.c.device_id.is_(None))
                .values(previous_at=_previous_start(earlier, same, table))
                .returning(table.c.visit_id)))


def _after(row, started_at, visit_id) -> sa.ColumnElement:
    """row comes after (started_at, visit_id) in a chain's order; >= lets an index seek."""
    return sa.and_(row.started_at >= started_at, sa.or_(
        row.started_at > started_at, row.visit_id > visit_id))


def _next_row(later, same, site_id, kind, started_at, visit_id) -> sa.ScalarSelect:
    return (sa.select(later.id)
            .where(same, later.site_id == site_id, later.inspection_kind == kind,
                   _after(later, started_at, visit_id))
            .order_by(later.started_at, later.visit_id).limit(1).scalar_subquery())


def _previous_start(earlier, same, table) -> sa.ColumnElement:
    """The start of the row before in the chain's (started_at, visit_id) order, if any."""
    place = sa.and_(same, earlier.site_id == table.c.site_id,
                    earlier.inspection_kind == table.c.inspection_kind)
    tie = sa.exists().where(place, earlier.started_at == table.c.started_at,
                            earlier.visit_id < table.c.visit_id)
    before = (sa.select(sa.func.max(earlier.started_at))
              .where(place, earlier.started_at < table.c.started_at).scalar_subquery())
    return sa.case((tie, table.c.started_at), else_=before)


def _recount(conn, visit_ids: set[int]) -> None:
    for chunk in _chunks(sorted(visit_ids)):
        conn.execute(sa.delete(VisitTally).where(VisitTally.visit_id.in_(chunk)))
        conn.execute(sa.insert(VisitTally).from_select(
            TALLY_COLUMNS, tallies(VisitTarget.visit_id.in_(chunk))))


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start:start + size]
