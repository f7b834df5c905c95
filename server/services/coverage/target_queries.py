"""The leaf of coverage's derived rows: what a visit_target row is (the queries that compute
them from the records) and what a transaction marked as changed; visit_targets.py (hooks) and
visit_target_refresh.py / visit_target_chains.py (the incremental refresh) build on it."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from server.models import Device, Inspection, InspectionResult, Room, Visit, VisitTarget
from server.models.field import valid_correction_of

LIVE_STATUSES = ("in_service", "faulty", "in_repair")


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
        return any(
            (
                self.visits,
                self.pairs,
                self.uuids,
                self.inspections,
                self.tags,
                self.devices,
                self.rooms,
                self.removed_visits,
            )
        )

    def structural(self) -> bool:
        """Changes of what devices, tags and rooms are (rare, from people, not phones)."""
        return bool(self.tags or self.devices or self.rooms or self.removed_visits)

    def add_pair(self, visit_id, device_id, tag) -> None:
        if visit_id is not None:
            self.pairs.setdefault(visit_id, set()).add(
                (device_id, None) if device_id is not None else (None, tag)
            )


TARGET_COLUMNS = (
    "visit_id",
    "site_id",
    "inspection_kind",
    "started_at",
    "device_id",
    "tag",
    "type_id",
    "own",
    "failed_items",
    "previous_at",
)


def _not_superseded(probe: bool) -> sa.ColumnElement:
    """The inspection is current: no valid correction (corrections.py) supersedes it.

    probe: test each inspection by one look-up in the small partial index of corrections. The
    OFFSET 0 keeps PostgreSQL from turning the test into an anti-join, whose plan it picks
    from statistics: on tables last analysed while empty it hashed every inspection of the
    database to test a visit's thirty (12 ms and growing, against 0.8 ms; docs/coverage.md,
    "Seventh round"). Off for whole-site recomputes, where one pass over all corrections is
    cheaper than a look-up per inspection."""
    newer = sa.orm.aliased(Inspection)
    corrections = sa.select(sa.literal(1)).where(valid_correction_of(newer, Inspection.uuid))
    return ~(corrections.offset(0) if probe else corrections).exists()


def per_visit(where, probe: bool = True) -> sa.Subquery:
    """Each visit's distinct current targets (a device, or a tag no device has) with their
    failed items, judged by where each device stands today; `where` (on Inspection and
    Visit) picks the inspections. Every column of visit_target but previous_at. probe: as
    _not_superseded (true for the few visits of a push)."""
    fails = (
        sa.select(sa.func.count())
        .where(InspectionResult.inspection_id == Inspection.id, InspectionResult.outcome == "fail")
        .scalar_subquery()
    )
    own = sa.case(
        (sa.and_(Room.site_id == Visit.site_id, Device.status.in_(LIVE_STATUSES)), sa.true()),
        else_=sa.false(),
    )
    each = (
        sa.select(
            Inspection.visit_id,
            Visit.site_id,
            Visit.inspection_kind,
            Visit.started_at,
            Inspection.device_id,
            sa.case((Inspection.device_id.is_(None), Inspection.tag)).label("tag"),
            Device.type_id,
            own.label("own"),
            fails.label("fails"),
        )
        .join(Visit, Visit.id == Inspection.visit_id)
        .outerjoin(Device, Device.id == Inspection.device_id)
        .outerjoin(Room, Room.id == Device.room_id)
        .where(where, _not_superseded(probe))
        .subquery()
    )
    keys = [each.c[name] for name in TARGET_COLUMNS[:-2]]
    return (
        sa.select(*keys, sa.func.sum(each.c.fails).label("failed_items")).group_by(*keys).subquery()
    )


def targets(where) -> sa.Select:
    """per_visit() with previous_at: when the site's previous visit of that kind covered the
    same target; `where` must pick whole sites (the from-scratch recompute)."""
    rows = per_visit(where, probe=False)
    previous = sa.func.lag(rows.c.started_at, type_=rows.c.started_at.type).over(
        partition_by=(rows.c.site_id, rows.c.inspection_kind, rows.c.device_id, rows.c.tag),
        order_by=(rows.c.started_at, rows.c.visit_id),
    )
    return sa.select(*(rows.c[name] for name in TARGET_COLUMNS[:-1]), previous.label("previous_at"))


TALLY_COLUMNS = (
    "visit_id",
    "site_id",
    "inspection_kind",
    "started_at",
    "own",
    "previous_at",
    "targets",
    "failed_items",
)


def tallies(where) -> sa.Select:
    """visit_target rows (picked by `where`) counted per visit, own and previous_at."""
    keys = [VisitTarget.__table__.c[name] for name in TALLY_COLUMNS[:-2]]
    return (
        sa.select(*keys, sa.func.count(), sa.func.sum(VisitTarget.failed_items))
        .where(where)
        .group_by(*keys)
    )
