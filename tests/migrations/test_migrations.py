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


def test_0006_fills_visit_targets_from_the_records_already_stored(at_revision):
    """Visits, corrections, an unknown tag and a device now elsewhere, stored before 0006
    (seeded in 0005's own schema)."""
    from datetime import datetime
    from types import SimpleNamespace

    from server.models import Inspection, InspectionResult, Visit, VisitTally, VisitTarget
    from server.services.coverage import targets as visit_targets

    old = at_revision("0005_plans")
    for code, level, parent in (
        ("520000", "province", None),
        ("520100", "prefecture", "520000"),
        ("520300", "prefecture", "520000"),
    ):
        old.insert(
            "region",
            code=code,
            name=code,
            level=level,
            kind="x",
            parent_code=parent,
            lon=106.0,
            lat=26.0,
        )
    room_of = {}
    for code in ("520100", "520300"):
        site_id = old.insert(
            "site", code=code, name=f"{code}局", tier="prefecture", region_code=code
        )
        room_of[code] = SimpleNamespace(
            id=old.insert("room", site_id=site_id, name="主会议室", kind="main_conference"),
            site_id=site_id,
        )
    here, elsewhere = room_of["520100"], room_of["520300"]
    user = SimpleNamespace(
        id=old.insert(
            "user",
            username="old",
            display_name="Old",
            role="engineer",
            password_hash="x",
            active=True,
        )
    )

    def device(code: str, tag: str, room) -> SimpleNamespace:
        type_id = old.insert(
            "device_type", code=code, kind="display", name_zh=code, name_en=code, contract_line=1
        )
        return SimpleNamespace(
            id=old.insert("device", tag=tag, type_id=type_id, room_id=room.id, status="in_service"),
            tag=tag,
        )

    kept, moved = device("L09", "GZ000010", here), device("L07", "GZ000028", elsewhere)
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
    old.upgrade()
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
