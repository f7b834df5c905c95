"""A push's coverage compare reads a visit's inspections by index, whatever the statistics say.

The database here was analysed while `inspection` was empty (as a bench or an operator's
VACUUM ANALYZE right after installing leaves it) and then filled: PostgreSQL then estimates
every filter with its defaults. Before the OFFSET 0 fence in target_queries._not_superseded,
it tested a visit's thirty inspections for corrections by hashing every inspection of the
database (docs/coverage.md, "Seventh round").
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import sqlalchemy as sa

from server.extensions import db as _db
from server.models import Room, Site
from server.services.coverage.target_refresh import Scope, _rows
from tests.server.plans_helpers import FieldFactory

AT = datetime(2026, 3, 2, 2, tzinfo=UTC)
OTHERS = 30_000  # inspections of another visit: what a whole-table read would have to go through


def _fill(factory) -> int:
    """A visit with 30 inspections among 30,000 others, statistics from an empty table."""
    engineer = factory.user("engineer")
    site = _db.session.scalar(sa.select(Site).join(Room).where(Site.code == "520100"))
    field = FieldFactory()
    visit, other = field.visit(site, engineer, AT), field.visit(site, engineer, AT)
    _db.session.execute(sa.text("ANALYZE inspection"))  # empty: reltuples 0, no column statistics
    device = factory.device(
        "L09", room=_db.session.scalar(sa.select(Room).where(Room.site == site))
    )
    _db.session.execute(
        sa.text(
            "INSERT INTO inspection (uuid, user_id, client_time, server_time, clock_skew_seconds, "
            "content_hash, visit_id, device_id, tag, inspection_kind, outcome, photos) "
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < :total) "
            "SELECT 'bulk-' || i, :user, :at, :at, 0, 'h' || i, "
            "CASE WHEN i <= 30 THEN :visit ELSE :other END, :device, :tag, 'quarterly', 'pass', "
            "CAST('[]' AS JSON) FROM n"
        ),
        {
            "total": 30 + OTHERS,
            "user": engineer.id,
            "at": AT,
            "visit": visit.id,
            "other": other.id,
            "device": device.id,
            "tag": device.tag,
        },
    )
    return visit.id


def _explain(statement) -> str:
    """The plan the database makes for the statement with its values written in."""
    conn = _db.session.connection()
    if _db.engine.dialect.name == "postgresql":
        literal = statement.compile(_db.engine, compile_kwargs={"literal_binds": True})
        plan = conn.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {literal}").scalar()
        return json.dumps(plan if not isinstance(plan, str) else json.loads(plan))
    compiled = statement.compile(_db.engine)
    state = compiled.construct_expanded_state(compiled.params)
    values = tuple(state.parameters[name] for name in state.positiontup)
    rows = conn.exec_driver_sql(f"EXPLAIN QUERY PLAN {state.statement}", values)
    return "\n".join(row[-1] for row in rows)


def _whole_table_reads(plan: str) -> list[str]:
    if _db.engine.dialect.name == "postgresql":
        nodes, found = [json.loads(plan)[0]["Plan"]], []
        while nodes:
            node = nodes.pop()
            nodes.extend(node.get("Plans", []))
            if node["Node Type"] == "Seq Scan" and node.get("Relation Name") == "inspection":
                found.append(json.dumps({k: node.get(k) for k in ("Alias", "Filter")}))
        return found
    return [line for line in plan.splitlines() if line.startswith("SCAN inspection")]


def test_the_compare_of_a_visit_reads_no_whole_inspection_table(app, reference_data, factory):
    visit_id = _fill(factory)
    scope = Scope(visits={visit_id})
    plan = _explain(_rows(scope.shape()).params(**scope.params()))
    assert _whole_table_reads(plan) == [], plan
    assert "ix_inspection_supersedes_uuid" in plan  # the corrections, looked up per inspection
