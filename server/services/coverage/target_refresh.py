"""Keep visit_target and visit_tally exact by touching only what a transaction changed.

The marks (services/coverage/targets.py) become a Scope: whole visits, whole targets (a device
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

import functools
import zlib
from dataclasses import dataclass, field

import sqlalchemy as sa

from server.models import Device, Inspection, Visit, VisitTarget
from server.services.coverage import target_chains as chains
from server.services.coverage.target_queries import TARGET_COLUMNS, Pending, per_visit

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

    def shape(self) -> tuple:
        """What the condition looks like (statements are built once per shape)."""
        return (
            bool(self.visits),
            bool(self.devices),
            bool(self.tags),
            tuple(
                (any(d is not None for d, _ in keys), any(d is None for d, _ in keys))
                for _, keys in sorted(self.pairs.items())
            ),
        )

    def params(self) -> dict:
        params = {
            "visits": sorted(self.visits),
            "devices": sorted(self.devices),
            "tags": sorted(self.tags),
        }
        for n, (visit, keys) in enumerate(sorted(self.pairs.items())):
            params[f"pv{n}"] = visit
            params[f"pd{n}"] = sorted(d for d, _ in keys if d is not None)
            params[f"pt{n}"] = sorted(t for d, t in keys if d is None)
        return params

    def chunks(self):
        """Scopes of at most CHUNK keys each (bound parameters stay few); rows in two of them
        are simply found up to date the second time."""
        for name in ("visits", "devices", "tags"):
            values = sorted(getattr(self, name))
            for start in range(0, len(values), CHUNK):
                yield Scope(**{name: set(values[start : start + CHUNK])})
        pairs = sorted(self.pairs.items())
        for start in range(0, len(pairs), MAX_PAIR_VISITS):
            yield Scope(pairs=dict(pairs[start : start + MAX_PAIR_VISITS]))


def _where(shape: tuple, visit_id, device_id, tag) -> sa.ColumnElement:
    """The same condition on visit_target's columns or an inspection's, so the rows read and
    the rows recomputed are the same keys."""

    def expanding(name):
        return sa.bindparam(name, expanding=True)

    has_visits, has_devices, has_tags, pairs = shape
    terms = [visit_id.in_(expanding("visits"))] if has_visits else []
    if has_devices:
        terms.append(device_id.in_(expanding("devices")))
    if has_tags:
        terms.append(sa.and_(device_id.is_(None), tag.in_(expanding("tags"))))
    for n, (devices, unknown) in enumerate(pairs):
        either = [device_id.in_(expanding(f"pd{n}"))] if devices else []
        if unknown:
            either.append(sa.and_(device_id.is_(None), tag.in_(expanding(f"pt{n}"))))
        terms.append(sa.and_(visit_id == sa.bindparam(f"pv{n}"), sa.or_(*either)))
    return sa.or_(*terms) if terms else sa.false()


@functools.lru_cache(maxsize=256)
def _rows(shape: tuple) -> sa.CompoundSelect:
    """The scope's stored rows (kind 0, with their id) and a recompute of them (kind 1)."""
    stored = sa.select(
        sa.literal(0).label("kind_of_row"),
        VisitTarget.id,
        VisitTarget.visit_id,
        VisitTarget.device_id,
        VisitTarget.tag,
        *(VisitTarget.__table__.c[n] for n in _VALUES),
    ).where(_where(shape, VisitTarget.visit_id, VisitTarget.device_id, VisitTarget.tag))
    fresh = per_visit(_where(shape, Inspection.visit_id, Inspection.device_id, Inspection.tag))
    return sa.union_all(
        stored,
        sa.select(
            sa.literal(1),
            sa.null(),
            fresh.c.visit_id,
            fresh.c.device_id,
            fresh.c.tag,
            *(fresh.c[n] for n in _VALUES),
        ),
    )


def refresh(conn, marks: Pending) -> int:
    """Bring the rows the marks lead to up to date; how many target rows were written."""
    if marks.structural():
        lock_everything(conn)
    scope = _resolve(conn, marks)
    if not marks.structural():
        _lock_sites(conn, _site_kinds(conn, set(scope.visits) | set(scope.pairs), marks.places))
    changes = chains.Changes()
    for chunk in _chunks(sorted(marks.removed_visits)):  # SQLite does not cascade
        conn.execute(chains.statement("delete_visits"), {"ids": chunk})
    changes.visits.update(marks.removed_visits)
    for part in scope.chunks():
        _compare(conn, part, changes)
    chains.fix_previous(conn, changes, marks.removed_visits)
    chains.recount(conn, changes.visits)
    return changes.written


_PAIRS_BY = {
    name: sa.select(Inspection.visit_id, Inspection.device_id, Inspection.tag).where(
        column.in_(sa.bindparam("keys", expanding=True)), Inspection.visit_id.is_not(None)
    )
    for name, column in (("uuid", Inspection.uuid), ("id", Inspection.id))
}
_DEVICES_IN_ROOMS = sa.select(Device.id).where(
    Device.room_id.in_(sa.bindparam("keys", expanding=True))
)
_DEVICES_OF_TAGS = (
    sa.select(Inspection.device_id)
    .distinct()
    .where(
        Inspection.tag.in_(sa.bindparam("keys", expanding=True)), Inspection.device_id.is_not(None)
    )
)
_INSPECTED_DEVICES = (
    sa.select(Inspection.device_id)
    .distinct()
    .where(Inspection.device_id.in_(sa.bindparam("keys", expanding=True)))
)
_INSPECTED_TAGS = (
    sa.select(Inspection.tag)
    .distinct()
    .where(  # linked to a device since or not
        Inspection.tag.in_(sa.bindparam("keys", expanding=True))
    )
)
_PLACES = sa.select(Visit.id, Visit.site_id, Visit.inspection_kind).where(
    Visit.id.in_(sa.bindparam("keys", expanding=True))
)


def _resolve(conn, marks: Pending) -> Scope:
    """The marks as keys of target rows (read after the lock for structural changes)."""
    scope = Scope(
        visits={v for v in marks.visits if v is not None},
        devices=set(marks.devices),
        tags={t for t in marks.tags if t is not None},
    )
    for visit_id, keys in marks.pairs.items():
        scope.pairs.setdefault(visit_id, set()).update(keys)
    for name, values in (("uuid", marks.uuids), ("id", marks.inspections)):
        for chunk in _chunks(sorted(values)):
            for visit_id, device_id, tag in conn.execute(_PAIRS_BY[name], {"keys": chunk}):
                scope.pairs.setdefault(visit_id, set()).add(
                    (device_id, None) if device_id is not None else (None, tag)
                )
    for chunk in _chunks(sorted(marks.rooms)):
        scope.devices.update(conn.scalars(_DEVICES_IN_ROOMS, {"keys": chunk}))
    for chunk in _chunks(sorted(scope.tags)):  # inspections of the tag that now name a device
        scope.devices.update(conn.scalars(_DEVICES_OF_TAGS, {"keys": chunk}))
    for visit_id in scope.visits:
        scope.pairs.pop(visit_id, None)
    _keep_inspected(conn, scope)
    return scope


def _keep_inspected(conn, scope: Scope) -> None:
    """Devices and tags never inspected have no rows: a device registered or moved before
    any inspection costs nothing (and touches no visit_target table)."""
    for name, query in (("devices", _INSPECTED_DEVICES), ("tags", _INSPECTED_TAGS)):
        values, kept = sorted(getattr(scope, name)), set()
        for chunk in _chunks(values):
            kept.update(conn.scalars(query, {"keys": chunk}))
        setattr(scope, name, kept)


def _site_kinds(conn, visit_ids: set[int], places: dict) -> set[tuple[int, str]]:
    """(site, kind) of the visits: those the push already looked up, the others read."""
    unknown = sorted(v for v in visit_ids if v not in places)
    for chunk in _chunks(unknown):
        places.update({v: (s, k) for v, s, k in conn.execute(_PLACES, {"keys": chunk})})
    return {places[v] for v in visit_ids if v in places}


def lock_everything(conn) -> None:
    """The world lock, exclusively: no push runs until this transaction ends."""
    if conn.dialect.name == "postgresql":
        conn.execute(sa.select(sa.func.pg_advisory_xact_lock(*WORLD)))


def _lock_sites(conn, site_kinds: set[tuple[int, str]]) -> None:
    """The world lock shared, then one lock per (site, kind) in one global order (no deadlock
    between two pushes however their sites overlap); one round trip, unnest keeps the order."""
    if conn.dialect.name != "postgresql" or not site_kinds:
        return
    keys = [WORLD] + sorted((_lock_class(f"site.{kind}"), site_id) for site_id, kind in site_kinds)
    conn.execute(
        sa.text(
            "SELECT count(CASE WHEN n = 1 THEN pg_advisory_xact_lock_shared(c, o) "
            "ELSE pg_advisory_xact_lock(c, o) END) FROM unnest(CAST(:c AS integer[]), "
            "CAST(:o AS integer[])) WITH ORDINALITY AS k(c, o, n)"
        ),
        {"c": [c for c, _ in keys], "o": [o for _, o in keys]},
    )


# ---- compare stored rows with a recompute ---------------------------------------------------


def _compare(conn, scope: Scope, changes: chains.Changes) -> None:
    stored: dict[tuple, tuple] = {}
    fresh: dict[tuple, tuple] = {}
    extra: list[int] = []
    for row in conn.execute(_rows(scope.shape()), scope.params()):
        key = (row[2], row[3], row[4])
        if row[0] == 1:
            fresh[key] = _normal(row[5:])
            continue
        if key in stored:  # cannot happen when kept by this module; heal it all the same
            extra.append(row[1])
        stored[key] = (row[1], *_normal(row[5:]))
    gone = [key for key in stored if key not in fresh or stored[key][1:4] != fresh[key][:3]]
    new = [key for key in fresh if key not in stored or key in gone]
    changed = [
        key for key in fresh if key in stored and key not in gone and stored[key][1:] != fresh[key]
    ]
    chains.delete_rows(conn, extra + [stored[key][0] for key in gone])
    changes.removed += [(*stored[key][1:4], *key) for key in gone]
    chains.update_rows(conn, [(stored[key][0], fresh[key]) for key in changed])
    chains.insert_rows(
        conn,
        [
            dict(
                zip(TARGET_COLUMNS[:-1], (key[0], *fresh[key][:3], key[1], key[2], *fresh[key][3:]))
            )
            for key in new
        ],
        changes,
    )
    changes.visits.update(key[0] for key in (*gone, *new, *changed))
    changes.written += len(extra) + len(gone) + len(new) + len(changed)


def _normal(values: tuple) -> tuple:
    """(site, kind, started_at, type, own, failed) as plain Python values on both databases."""
    site_id, kind, started_at, type_id, own, failed = values
    return site_id, kind, started_at, type_id, bool(own), int(failed or 0)


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]
