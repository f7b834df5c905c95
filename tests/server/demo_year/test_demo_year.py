"""The demo year: deterministic, made through the services (sync receipts, coverage rows)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from server import periods
from server.extensions import db
from server.models import (
    Fault,
    Meeting,
    MeetingCheck,
    MeetingIncident,
    SyncReceipt,
    UsageRegister,
    Visit,
    VisitTarget,
)
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
    meetings = db.session.execute(
        sa.select(Meeting.title, Meeting.starts_at, Meeting.major_event).order_by(Meeting.id)
    ).all()
    checks = db.session.execute(
        sa.select(MeetingCheck.uuid, MeetingCheck.kind, MeetingCheck.at).order_by(MeetingCheck.uuid)
    ).all()
    return visits, faults, meetings, checks


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


def test_the_year_has_meetings_worked_through_sync(photos):
    """January: the Spring Festival guarantee and two provincial video conferences, their checks,
    incidents (two raised as faults) and registers, all made through the meetings and sync
    services; the 2025 assessment's major-events line has them as records."""
    from server.services.assessment import assess
    from server.services.meetings import due

    counts = _seed()["counts"]
    meetings = db.session.scalars(sa.select(Meeting).order_by(Meeting.starts_at)).all()
    assert len(meetings) == counts["meetings"] == 3
    guarantee = [m for m in meetings if m.major_event]
    assert [m.title for m in guarantee] == ["春节前全省医保系统安全稳定工作视频会议"]
    assert all(20 <= len(m.sites) <= 99 for m in meetings if m.kind == "provincial_video")
    assert len(guarantee[0].sites) == 99 and len(guarantee[0].engineers) == 2
    checks = db.session.scalar(sa.select(sa.func.count(MeetingCheck.id)))
    assert checks == counts["meeting_checks"] > 100
    incidents = db.session.scalars(sa.select(MeetingIncident)).all()
    assert len(incidents) == counts["meeting_incidents"] >= 2
    raised = [i for i in incidents if i.fault_id]
    assert len(raised) == counts["meeting_faults"] == 2
    assert all(db.session.get(Fault, i.fault_id).state == "closed" for i in raised)
    registers = db.session.scalars(sa.select(UsageRegister)).all()
    assert len(registers) == counts["usage_registers"] and registers
    assert sum(len(r.recordings) for r in registers) == counts["recordings"]
    pre_meeting = db.session.scalars(sa.select(Visit).where(Visit.meeting_id.is_not(None))).all()
    assert pre_meeting and {v.inspection_kind for v in pre_meeting} == {"pre_meeting"}
    states = [c["state"] for m in meetings for c in due.due_checks(m, m.ends_at)]
    assert states.count("done") > 0.9 * len(states)  # most on time, a few late or missing
    result = assess(date(2025, 1, 1), date(2025, 1, 31), label="2025-01")
    line = next(line for line in result.forms[0].lines if line.code == "major_events")
    assert [f.detail["meeting_id"] for f in line.evidence] == [guarantee[0].id]
