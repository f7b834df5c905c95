"""The Alembic chain builds exactly the models' schema, and unwinds, on the test database's dialect."""

from __future__ import annotations

import uuid
from datetime import UTC

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from server import create_app
from server.config import TestConfig
from server.extensions import db


@pytest.fixture
def migrated_app(fresh_url, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():
        upgrade()
        yield app
        db.session.remove()
        db.engine.dispose()


def _schema_diff():
    from server.models.base import UTCDateTime

    def compare_type(ctx, inspected_column, metadata_column, inspected_type, metadata_type):
        if isinstance(metadata_type, UTCDateTime):
            return not isinstance(inspected_type, sa.DateTime)
        return None

    with db.engine.connect() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": compare_type})
        return compare_metadata(context, db.metadata)


def test_upgrade_matches_models(migrated_app):
    assert _schema_diff() == []


def test_downgrade_to_base_and_back(migrated_app):
    downgrade(revision="base")
    tables = set(sa.inspect(db.engine).get_table_names()) - {"alembic_version"}
    assert tables == set()
    upgrade()
    assert _schema_diff() == []


@pytest.fixture
def app_at_0005(fresh_url, monkeypatch):
    monkeypatch.setenv("TEST_DATABASE_URL", fresh_url)
    app = create_app(TestConfig)
    with app.app_context():
        upgrade(revision="0005_plans")
        yield app
        db.session.remove()
        db.engine.dispose()


def test_0006_fills_visit_targets_from_the_records_already_stored(app_at_0005):
    """Visits, corrections, an unknown tag and a device now elsewhere, stored before 0006."""
    from datetime import datetime

    from server.models import Inspection, InspectionResult, Visit, VisitTally, VisitTarget
    from server.services.core import reference, users
    from server.services.core.devices import create_device
    from server.services.coverage import targets as visit_targets

    sites = reference.seed_regions_and_sites()
    rooms = reference.seed_rooms(sites)
    reference.seed_device_types()
    user = users.create_user("old", "Old", "engineer", "old-password-1")
    here, elsewhere = rooms[("520100", "main_conference")], rooms[("520300", "main_conference")]
    kept = create_device("L09", room_id=here.id)
    moved = create_device("L07", room_id=elsewhere.id)
    db.session.commit()
    at = datetime(2025, 5, 1, tzinfo=UTC)
    meta = {"user_id": user.id, "client_time": at, "server_time": at, "content_hash": "x"}
    visit_ids = (
        db.session.execute(
            sa.insert(Visit).returning(Visit.id, sort_by_parameter_order=True),
            [
                {
                    **meta,
                    "uuid": str(uuid.uuid4()),
                    "site_id": here.site_id,
                    "inspection_kind": "quarterly",
                    "started_at": at.replace(month=m),
                }
                for m in (5, 8)
            ],
        )
        .scalars()
        .all()
    )

    def inspection(visit_id, device=None, tag=None, supersedes=None):
        return {
            **meta,
            "uuid": str(uuid.uuid4()),
            "visit_id": visit_id,
            "inspection_kind": "quarterly",
            "device_id": device and device.id,
            "tag": tag or device.tag,
            "outcome": "pass",
            "photos": [],
            "supersedes_uuid": supersedes,
        }

    rows = [
        inspection(visit_ids[0], kept),
        inspection(visit_ids[0], moved),
        inspection(visit_ids[0], tag="GZZZZZZZ"),
        inspection(visit_ids[1], kept),
    ]
    rows.append(inspection(visit_ids[1], kept, supersedes=rows[3]["uuid"]))
    ids = (
        db.session.execute(
            sa.insert(Inspection).returning(Inspection.id, sort_by_parameter_order=True), rows
        )
        .scalars()
        .all()
    )
    db.session.execute(
        sa.insert(InspectionResult),
        [
            {"inspection_id": ids[0], "item_key": "a", "outcome": "fail", "photos": []},
            {"inspection_id": ids[3], "item_key": "a", "outcome": "fail", "photos": []},
        ],
    )
    db.session.commit()
    upgrade()
    got = sorted(
        (
            (t.visit_id, t.device_id, t.tag, t.own, t.failed_items, t.previous_at)
            for t in db.session.scalars(sa.select(VisitTarget))
        ),
        key=str,
    )
    assert got == sorted(
        [
            (visit_ids[0], kept.id, None, True, 1, None),
            (visit_ids[0], moved.id, None, False, 0, None),
            (visit_ids[0], None, "GZZZZZZZ", False, 0, None),
            (visit_ids[1], kept.id, None, True, 0, at),  # the failing one was corrected
        ],
        key=str,
    )
    fresh = [
        (r.visit_id, r.device_id, r.tag, bool(r.own), r.failed_items, r.previous_at)
        for r in db.session.execute(visit_targets.targets(sa.true()))
    ]
    assert got == sorted(fresh, key=str)
    tallies = sorted(
        (
            (t.visit_id, t.own, t.previous_at, t.targets, t.failed_items)
            for t in db.session.scalars(sa.select(VisitTally))
        ),
        key=str,
    )
    assert tallies == sorted(
        [
            (visit_ids[0], True, None, 1, 1),
            (visit_ids[0], False, None, 2, 0),
            (visit_ids[1], True, at, 1, 0),
        ],
        key=str,
    )
