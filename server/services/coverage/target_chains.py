"""Writing visit_target rows, then fixing previous_at along each target's chain and counting
the tallies of the visits whose rows changed (used by services/coverage/target_refresh.py).

A chain is one target's rows at one site and kind in (started_at, visit_id) order; a row's
previous_at is the start of the row before it. So when rows are inserted or removed, only the
inserted rows and the row right after each inserted or removed one can have a new previous_at.
Statements are built once, with bound parameters: building SQL costs more Python than a push.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from server.models import VisitTally, VisitTarget
from server.services.coverage.target_queries import TALLY_COLUMNS, tallies

CHUNK = 500
_TABLE = VisitTarget.__table__
_CHAIN = ("site_id", "inspection_kind", "started_at", "visit_id", "device_id", "tag")


@dataclass
class Changes:
    """What the comparison wrote, for the previous_at and tally passes."""

    successors: list = field(default_factory=list)  # (row id, a device's row) after inserted
    removed: list = field(default_factory=list)  # (site, kind, started_at, visit, device, tag)
    visits: set = field(default_factory=set)  # whose tallies to count again
    written: int = 0


def _ids() -> sa.BindParameter:
    return sa.bindparam("ids", expanding=True)


def _same(row, device_rows: bool, device_id, tag) -> sa.ColumnElement:
    """row is on the chain of that device (device_rows) or of that unknown tag."""
    if device_rows:
        return row.device_id == device_id
    return sa.and_(row.device_id.is_(None), row.tag == tag)


def _after(row, started_at, visit_id) -> sa.ColumnElement:
    """row comes after (started_at, visit_id) in a chain's order; >= lets an index seek."""
    return sa.and_(
        row.started_at >= started_at, sa.or_(row.started_at > started_at, row.visit_id > visit_id)
    )


def _next_row(device_rows: bool, site_id, kind, started_at, visit_id, device_id, tag):
    later = aliased(VisitTarget, name="later")
    return (
        sa.select(later.id)
        .where(
            _same(later, device_rows, device_id, tag),
            later.site_id == site_id,
            later.inspection_kind == kind,
            _after(later, started_at, visit_id),
        )
        .order_by(later.started_at, later.visit_id)
        .limit(1)
        .correlate_except(later)
        .scalar_subquery()
    )


@functools.cache
def statement(name: str, device_rows: bool = True):
    """The statements of this module and of the refresh, built on first use."""
    if name == "delete_visits":
        return sa.delete(VisitTarget).where(VisitTarget.visit_id.in_(_ids()))
    if name == "delete_rows":
        return sa.delete(VisitTarget).where(VisitTarget.id.in_(_ids()))
    if name == "update_rows":
        return (
            sa.update(_TABLE)
            .where(_TABLE.c.id == sa.bindparam("row_id"))
            .values(
                type_id=sa.bindparam("new_type"),
                own=sa.bindparam("new_own"),
                failed_items=sa.bindparam("new_failed"),
            )
        )
    if name == "insert_rows":  # previous_at computed as inserted, the row after returned
        given = {n: sa.bindparam(f"given_{n}", type_=_TABLE.c[n].type) for n in _CHAIN}
        return (
            _TABLE.insert()
            .values(previous_at=_previous_start(device_rows, **given))
            .returning(_TABLE.c.id, _next_of_returned(device_rows), sort_by_parameter_order=True)
        )
    if name == "insert_rows_sqlite":  # its RETURNING cannot hold a correlated subquery
        given = {n: sa.bindparam(f"given_{n}", type_=_TABLE.c[n].type) for n in _CHAIN}
        return (
            _TABLE.insert()
            .values(previous_at=_previous_start(device_rows, **given))
            .returning(_TABLE.c.id, sort_by_parameter_order=True)
        )
    if name == "next_of_inserted":
        first = aliased(VisitTarget, name="first")
        return sa.select(_next_row(device_rows, *(getattr(first, n) for n in _CHAIN))).where(
            first.id.in_(_ids())
        )
    if name == "next_of_removed":  # the row after where a removed row stood
        return sa.select(
            _next_row(
                device_rows,
                *(
                    sa.bindparam(n)
                    for n in ("site_id", "kind", "started_at", "visit_id", "device_id", "tag")
                ),
            )
        )
    if name == "after_removed_visit":  # its rows may be gone already (ON DELETE CASCADE)
        later = aliased(VisitTarget, name="later")
        return sa.select(later.id).where(
            later.site_id == sa.bindparam("site_id"),
            later.inspection_kind == sa.bindparam("kind"),
            later.previous_at == sa.bindparam("started_at"),
            _after(later, sa.bindparam("started_at"), sa.bindparam("visit_id")),
        )
    if name == "set_previous":
        chain = {n: _TABLE.c[n] for n in _CHAIN}
        kind_of_rows = (
            _TABLE.c.device_id.is_not(None) if device_rows else _TABLE.c.device_id.is_(None)
        )
        return (
            sa.update(_TABLE)
            .where(kind_of_rows, _TABLE.c.id.in_(_ids()))
            .values(previous_at=_previous_start(device_rows, **chain))
            .returning(_TABLE.c.visit_id)
        )
    if name == "delete_tallies":
        return sa.delete(VisitTally).where(VisitTally.visit_id.in_(_ids()))
    if name == "insert_tallies":
        return sa.insert(VisitTally).from_select(
            TALLY_COLUMNS, tallies(VisitTarget.visit_id.in_(_ids()))
        )
    if name == "recount_tallies":  # PostgreSQL: both in one statement
        gone = sa.delete(VisitTally).where(VisitTally.visit_id.in_(_ids())).cte("gone")
        return statement("insert_tallies").add_cte(gone)
    raise KeyError(name)


def _next_of_returned(device_rows: bool) -> sa.ColumnElement:
    """_next_row() of the row just inserted, in PostgreSQL's RETURNING (SQLAlchemy does not
    correlate a subquery there to the inserted table, so it is written out)."""
    same = (
        "later.device_id = visit_target.device_id"
        if device_rows
        else "later.device_id IS NULL AND later.tag = visit_target.tag"
    )
    return sa.literal_column(
        f"(SELECT later.id FROM visit_target AS later WHERE {same} "
        "AND later.site_id = visit_target.site_id "
        "AND later.inspection_kind = visit_target.inspection_kind "
        "AND later.started_at >= visit_target.started_at "
        "AND (later.started_at > visit_target.started_at OR later.visit_id > visit_target.visit_id) "
        "ORDER BY later.started_at, later.visit_id LIMIT 1)",
        sa.Integer,
    )


def _previous_start(
    device_rows: bool, site_id, inspection_kind, started_at, visit_id, device_id, tag
) -> sa.ColumnElement:
    """The start of the row before (started_at, visit_id) on that chain, if any."""
    earlier = aliased(VisitTarget, name="earlier")
    place = sa.and_(
        _same(earlier, device_rows, device_id, tag),
        earlier.site_id == site_id,
        earlier.inspection_kind == inspection_kind,
    )
    tie = sa.exists().where(place, earlier.started_at == started_at, earlier.visit_id < visit_id)
    before = (
        sa.select(sa.func.max(earlier.started_at))
        .where(place, earlier.started_at < started_at)
        .scalar_subquery()
    )
    return sa.case((tie, started_at), else_=before)


# ---- writing rows -----------------------------------------------------------------------------


def delete_rows(conn, ids: list[int]) -> None:
    for chunk in _chunks(ids):
        conn.execute(statement("delete_rows"), {"ids": chunk})


def update_rows(conn, rows: list[tuple[int, tuple]]) -> None:
    """Rows whose type, own or failed items changed (their chain did not)."""
    if rows:
        conn.execute(
            statement("update_rows"),
            [
                {
                    "row_id": row_id,
                    "new_type": values[3],
                    "new_own": values[4],
                    "new_failed": values[5],
                }
                for row_id, values in rows
            ],
        )


def insert_rows(conn, rows: list[dict], changes: Changes) -> None:
    """New rows, each with its previous_at; the row after each is noted for fixing. One
    statement per round of rows on distinct chains: a statement's subqueries may not see its
    own rows."""
    rounds: dict[tuple, list[dict]] = {}
    seen: dict[tuple, int] = {}
    for row in sorted(rows, key=lambda r: (r["started_at"], r["visit_id"])):
        chain = (row["site_id"], row["inspection_kind"], row["device_id"], row["tag"])
        seen[chain] = seen.get(chain, -1) + 1
        rounds.setdefault((seen[chain], row["device_id"] is not None), []).append(row)
    for (_, device_rows), group in sorted(rounds.items()):
        params = [dict(row, **{f"given_{n}": row[n] for n in _CHAIN}) for row in group]
        if conn.dialect.name == "sqlite":
            ids = list(conn.execute(statement("insert_rows_sqlite", device_rows), params).scalars())
            after = conn.scalars(statement("next_of_inserted", device_rows), {"ids": ids})
        else:
            after = (row[1] for row in conn.execute(statement("insert_rows", device_rows), params))
        changes.successors += [(row_id, device_rows) for row_id in after if row_id is not None]


# ---- previous_at and tallies ------------------------------------------------------------------


def fix_previous(conn, changes: Changes, removed_visits: dict) -> None:
    """Recompute previous_at of the row after each row inserted or removed (same site, kind
    and target); inserted rows got theirs as they were inserted."""
    fix = {True: set(), False: set()}  # device rows, tag rows
    for row_id, device_rows in changes.successors:
        fix[device_rows].add(row_id)
    for site_id, kind, started_at, visit_id, device_id, tag in changes.removed:
        device_rows = device_id is not None
        where = {
            "site_id": site_id,
            "kind": kind,
            "started_at": started_at,
            "visit_id": visit_id,
            **({"device_id": device_id} if device_rows else {"tag": tag}),
        }
        fix[device_rows].add(conn.scalar(statement("next_of_removed", device_rows), where))
    for visit_id, (site_id, kind, started_at) in removed_visits.items():
        for row_id in conn.scalars(
            statement("after_removed_visit"),
            {"site_id": site_id, "kind": kind, "started_at": started_at, "visit_id": visit_id},
        ):
            fix[True].add(row_id)  # which chain is not known: each statement checks its own
            fix[False].add(row_id)
    for device_rows, ids in fix.items():
        ids.discard(None)
        for chunk in _chunks(sorted(ids)):
            changes.visits.update(
                conn.scalars(statement("set_previous", device_rows), {"ids": chunk})
            )


def recount(conn, visit_ids: set[int]) -> None:
    """Count the tallies of these visits again from their target rows."""
    for chunk in _chunks(sorted(visit_ids)):
        if conn.dialect.name == "postgresql":
            conn.execute(statement("recount_tallies"), {"ids": chunk})
        else:
            conn.execute(statement("delete_tallies"), {"ids": chunk})
            conn.execute(statement("insert_tallies"), {"ids": chunk})


def _chunks(values: list, size: int = CHUNK):
    for start in range(0, len(values), size):
        yield values[start : start + size]
