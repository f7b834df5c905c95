"""The demo year: deterministic, made through the services (sync receipts, coverage rows)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import Fault, SyncReceipt, Visit, VisitTarget
from server.services import demo_year
from server.services.calendar import missed_daily_checks
from server.services.core.photo_store import get_store
from server.services.coverage.targets import rebuild_all
from server.services.demo import seed_demo
from tests.conftest import _empty_all_tables

SMALL = demo_year.Options.scaled(0.1)  # January only: a 3-bureau sample, one fault


@pytest.fixture
def photos(app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")


def _seed() -> dict:
    seed_demo()
    summary = demo_year.seed_demo_year(SMALL)
    db.session.commit()
    return summary


def _fingerprint() -> tuple:
    visits = db.session.execute(
        sa.select(Visit.uuid, Visit.started_at, Visit.client_time, Visit.lat).order_by(Visit.uuid)
    ).all()
    faults = db.session.execute(
        sa.select(Fault.uuid, Fault.reported_at, Fault.responded_at, Fault.resolved_at).order_by(
            Fault.reported_at
        )
    ).all()
    return visits, faults


def _targets() -> list[tuple]:
    return db.session.execute(
        sa.select(
            VisitTarget.visit_id,
            VisitTarget.device_id,
            VisitTarget.site_id,
            VisitTarget.own,
            VisitTarget.previous_at,
            VisitTarget.failed_items,
        ).order_by(VisitTarget.visit_id, VisitTarget.device_id)
    ).all()


def test_two_runs_make_the_same_year(photos):
    first = _seed()
    print_one = _fingerprint()
    db.session.remove()
    _empty_all_tables()
    second = _seed()
    assert first["counts"] == second["counts"]
    assert _fingerprint() == print_one
    assert first["counts"]["inspections"] > 100 and first["counts"]["faults"] >= 1


def test_the_year_goes_through_the_services(photos):
    summary = _seed()
    counts = summary["counts"]
    receipts = db.session.scalar(sa.select(sa.func.count(SyncReceipt.uuid)))
    assert receipts == counts["records_pushed"]  # every phone record came through sync
    skews = set(db.session.scalars(sa.select(Visit.clock_skew_seconds)))
    assert skews <= {0, 45} and all(v.lat for v in db.session.scalars(sa.select(Visit)))
    late = db.session.scalars(sa.select(Visit)).all()
    assert all(v.server_time >= v.client_time - timedelta(seconds=45) for v in late)
    fault_times = db.session.execute(sa.select(Fault.server_time, Fault.reported_at)).all()
    assert all(
        reported <= server < reported + timedelta(days=2) for server, reported in fault_times
    )
    before = _targets()
    rebuild_all(db.session())
    db.session.commit()
    assert _targets() == before and before  # the coverage rows equal a recompute
    missed = missed_daily_checks(date(2025, 1, 1), date(2025, 1, 31))
    assert len(missed) == counts["missed_daily"] == 1
    assert all(m.plan_entry_id for m in missed)
    fault = db.session.scalars(sa.select(Fault)).first()
    assert fault.state == "closed" and fault.photos and get_store().exists(fault.photos[0])
    assert periods.local_day(fault.reported_at).year == 2025
