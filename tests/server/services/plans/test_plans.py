"""The planner on the database: history from plans and visits, priority hooks, rotation."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Site
from server.services.plans import plans as plan_service
from server.services.plans import signals as plan_signals
from tests.server.plans_helpers import FieldFactory, utc


def test_history_drives_the_rotation_over_eight_quarters(reference_data, factory):
    """Plan eight quarters in a row with visits for most entries: every bureau planned within
    every four consecutive quarters, and each plan reproducible from its seed."""
    engineer = factory.user("engineer")
    field = FieldFactory()
    planned_in: dict[str, list[int]] = {}
    for n in range(8):
        year, quarter = periods.index_to_quarter(periods.quarter_index(2026, 1) + n)
        period = f"{year}Q{quarter}"
        first = [
            e.site_id for e in plan_service.create_quarterly_plan(period, seed=1000 + n).entries
        ]
        db.session.rollback()
        plan = plan_service.create_quarterly_plan(period, seed=1000 + n)
        assert [e.site_id for e in plan.entries] == first  # same seed, same history
        start = periods.day_start(periods.quarter_dates(year, quarter)[0])
        for i, entry in enumerate(plan.entries):
            planned_in.setdefault(entry.site.code, []).append(n)
            if i % 5:  # one in five planned sites is not visited
                field.visit(entry.site, engineer, start + timedelta(days=10 + i), plan_entry=entry)
        db.session.commit()
    assert len(planned_in) == 99
    for code, marks in planned_in.items():
        edges = [-1] + marks + [8]
        assert max(b - a for a, b in zip(edges, edges[1:])) <= 4, (code, marks)


def test_failed_checks_and_open_faults_raise_priority(reference_data, factory):
    engineer = factory.user("engineer")
    field = FieldFactory()
    site = db.session.scalar(sa.select(Site).where(Site.code == "520102"))
    visit = field.visit(site, engineer, utc(2025, 11, 5, 3))
    field.inspection(visit, tag="AAAAAAAA", outcome="fail", failed_items=["screen"])
    db.session.commit()
    visits = plan_signals.last_visits(utc(2026, 1, 1))
    assert plan_signals.failed_last_time(visits) == {site.id}
    assert plan_signals.open_fault_site_ids() == set()
    from server.services.faults.lifecycle import create_fault

    rooms = reference_data["rooms"]
    broken = factory.device(room=rooms[("520102", "main_conference")])
    fixed = factory.device(room=rooms[("520103", "main_conference")])
    create_fault(tag=broken.tag, description="黑屏", user=engineer, reported_at=utc(2025, 12, 1))
    done = create_fault(
        tag=fixed.tag, description="无声", user=engineer, reported_at=utc(2025, 12, 1)
    )
    done.state = "closed"
    db.session.commit()
    assert plan_signals.open_fault_site_ids() == {site.id}
    states, _ = plan_service.quarterly_states("2026Q1", [site])
    assert states[0].open_fault and states[0].failed_last
