"""Coverage figures and lists equal a straightforward Python computation on random small data.

The optimised queries (services/coverage/summary.py, coverage_details.py) must give exactly what the
definitions in docs/coverage.md say; here every figure is recomputed row by row from the
models and compared, over random visits, corrections (in either arrival order), unknown tags,
devices inspected away from home, moved or retired afterwards.
"""

from __future__ import annotations

import random
import uuid
from collections import Counter
from datetime import UTC, date, timedelta

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import (
    Device,
    DeviceType,
    Inspection,
    InspectionResult,
    Region,
    Room,
    Site,
    Visit,
)
from server.services.coverage import details as coverage_details
from server.services.coverage import summary as coverage
from server.services.coverage.scope import Scope, scope_from
from server.services.plans.plans import BUREAU_TIERS
from tests.server.plans_helpers import FieldFactory, utc

LIVE = coverage.LIVE_STATUSES


@pytest.fixture
def history(demo, factory):
    """Random visits over 2025-2026 with corrections, strays, unknown tags; then moves."""
    rng = random.Random(5)
    field = FieldFactory()
    engineer = factory.user("engineer", username=f"ref-{uuid.uuid4().hex[:8]}")
    sites = list(
        db.session.scalars(sa.select(Site).where(Site.tier.in_(BUREAU_TIERS)).order_by(Site.code))
    )
    devices = list(db.session.scalars(sa.select(Device).order_by(Device.id)))
    by_site: dict[int, list[Device]] = {}
    for device in devices:
        if device.room is not None:
            by_site.setdefault(device.room.site_id, []).append(device)
    made: list[Inspection] = []
    for _ in range(60):
        site = rng.choice(sites)
        at = utc(2025, 1, 1) + timedelta(days=rng.randint(0, 700), hours=rng.randint(0, 23))
        visit = field.visit(site, engineer, at, kind=rng.choice(("quarterly",) * 4 + ("monthly",)))
        for device in by_site.get(site.id, []):
            if rng.random() < 0.7:
                made.append(
                    field.inspection(
                        visit,
                        device,
                        outcome="pass",
                        failed_items=(["screen"] if rng.random() < 0.2 else []),
                    )
                )
        if rng.random() < 0.4:
            made.append(field.inspection(visit, rng.choice(devices), failed_items=["fan"]))
        if rng.random() < 0.3:
            made.append(field.inspection(visit, tag=f"ZZ{rng.randint(0, 5):06d}"))
    for original in rng.sample(made, 25):
        visit = db.session.get(Visit, original.visit_id)
        device = db.session.get(Device, original.device_id) if original.device_id else None
        field.inspection(
            visit,
            device,
            tag=original.tag,
            supersedes=original,
            failed_items=["audio"] if rng.random() < 0.5 else [],
        )
    # A correction that arrives before the inspection it corrects.
    visit = db.session.get(Visit, made[0].visit_id)
    early_uuid = str(uuid.uuid4())
    correction = field.inspection(visit, tag=made[0].tag)
    correction.supersedes_uuid, correction.supersede_state = early_uuid, "valid"
    db.session.flush()
    late = field.inspection(visit, tag=made[0].tag, failed_items=["late"])
    late.uuid = early_uuid
    db.session.flush()
    db.session.commit()
    # Afterwards some devices move, some retire: coverage uses current placement and status
    # (and the visit summaries written at the commit above must follow).
    rooms = list(db.session.scalars(sa.select(Room.id)))
    for device in rng.sample(devices, 40):
        device.room_id = rng.choice(rooms)
        device.status = rng.choice(LIVE + ("spare", "retired"))
    db.session.commit()
    db.session.expire_all()


def _group(region: Region, province_group: str) -> str:
    if region.level == "county":
        return region.parent_code
    return province_group if region.level == "province" else region.code


class Reference:
    """Coverage recomputed from every row, one definition at a time."""

    def __init__(self, scope: Scope, province_group: str = "520100"):
        self.scope = scope
        regions = {r.code: r for r in db.session.scalars(sa.select(Region))}
        self.sites = {s.id: s for s in db.session.scalars(sa.select(Site))}
        self.in_scope = {
            s.id
            for s in self.sites.values()
            if s.tier in BUREAU_TIERS
            and (
                not scope.prefecture
                or _group(regions[s.region_code], province_group) == scope.prefecture
            )
            and (not scope.county or s.region_code == scope.county)
        }
        self.rooms = {r.id: r.site_id for r in db.session.scalars(sa.select(Room))}
        types = {t.id: t.code for t in db.session.scalars(sa.select(DeviceType))}
        self.devices = {
            d.id: (d.tag, types[d.type_id], d.room_id and self.rooms[d.room_id], d.status)
            for d in db.session.scalars(sa.select(Device))
        }
        inspections = list(db.session.scalars(sa.select(Inspection)))
        self.all_inspections = inspections
        newer = {
            i.supersedes_uuid
            for i in inspections
            if i.supersedes_uuid and i.supersede_state == "valid"
        }
        self.visits = {
            v.id: v
            for v in db.session.scalars(sa.select(Visit))
            if v.inspection_kind == scope.kind
            and v.site_id in self.in_scope
            and scope.start_at <= _aware(v.started_at) < scope.end_at
        }
        self.current = [
            i
            for i in inspections
            if i.uuid not in newer and i.visit_id in self.visits and self._typed(i.device_id)
        ]
        self.fails = Counter(
            r.inspection_id
            for r in db.session.scalars(
                sa.select(InspectionResult).where(InspectionResult.outcome == "fail")
            )
        )

    def _typed(self, device_id) -> bool:
        if not self.scope.device_type:
            return True
        return device_id is not None and self.devices[device_id][1] == self.scope.device_type

    def _own(self, inspection) -> bool:
        device = self.devices.get(inspection.device_id)
        return (
            device is not None
            and device[3] in LIVE
            and device[2] == self.visits[inspection.visit_id].site_id
        )

    def expected(self, site_id) -> set[int]:
        return {
            d
            for d, (_, type_code, site, status) in self.devices.items()
            if site == site_id and status in LIVE and self._typed(d)
        }

    def rows(self) -> dict[str, dict]:
        result = {}
        for site_id in self.in_scope:
            visits = [v for v in self.visits.values() if v.site_id == site_id]
            mine = [i for i in self.current if self.visits[i.visit_id].site_id == site_id]
            inspected = {i.device_id for i in mine if self._own(i)}
            unexpected = {i.device_id or i.tag for i in mine if not self._own(i)}
            expected = self.expected(site_id)
            row = {
                "visits": len(visits),
                "expected": len(expected),
                "failed_items": sum(self.fails[i.id] for i in mine),
                "inspected": len(inspected) if visits else None,
                "unexpected": len(unexpected) if visits else None,
                "missing": len(expected) - len(inspected) if visits else None,
            }
            result[self.sites[site_id].code] = row
        return result

    def missing(self) -> list[tuple]:
        rows = []
        for site_id in {v.site_id for v in self.visits.values()}:
            seen = {i.device_id for i in self.current if self.visits[i.visit_id].site_id == site_id}
            rows += [
                (self.sites[site_id].code, self.devices[d][0])
                for d in self.expected(site_id) - seen
            ]
        return sorted(rows)

    def unexpected(self) -> list[tuple]:
        """One row per visit and target: a device by its current tag, else the tag inspected."""
        rows = {}
        for i in self.current:
            if not self._own(i):
                tag, _, home, _ = self.devices.get(i.device_id, (i.tag, None, None, None))
                rows[(i.visit_id, i.device_id or i.tag)] = (
                    self.sites[self.visits[i.visit_id].site_id].code,
                    tag,
                    home and self.sites[home].code,
                )
        return sorted(rows.values())

    def failed(self) -> list[tuple]:
        keys = {}
        for r in db.session.scalars(
            sa.select(InspectionResult).where(InspectionResult.outcome == "fail")
        ):
            keys.setdefault(r.inspection_id, []).append(r.item_key)
        return sorted(
            (self.sites[self.visits[i.visit_id].site_id].code, i.tag, key)
            for i in self.current
            for key in keys.get(i.id, [])
        )

    def never_inspected(self) -> list[tuple]:
        seen = {
            i.device_id for i in self.all_inspections if _aware(i.client_time) < self.scope.end_at
        }
        return sorted(
            (self.sites[site].code, tag)
            for d, (tag, _, site, status) in self.devices.items()
            if site in self.in_scope and status in LIVE and self._typed(d) and d not in seen
        )


def _aware(at):

    return at if at.tzinfo else at.replace(tzinfo=UTC)


def _scopes():
    yield scope_from({"quarter": "2025Q3"})
    yield scope_from({"quarter": "2026Q2", "kind": "monthly"})
    yield scope_from({"from": date(2025, 1, 1), "to": date(2025, 12, 31)})
    yield scope_from({"from": date(2025, 1, 1), "to": date(2026, 12, 31)})
    yield scope_from({"from": date(2025, 1, 1), "to": date(2026, 12, 31), "device_type": "L09"})
    yield scope_from({"from": date(2025, 4, 1), "to": date(2026, 9, 30), "prefecture": "520100"})
    yield scope_from(
        {
            "from": date(2025, 4, 1),
            "to": date(2026, 9, 30),
            "prefecture": "520300",
            "device_type": "L07",
        }
    )


@pytest.mark.parametrize("index", range(7))
def test_figures_and_lists_equal_the_reference(history, index):
    scope = list(_scopes())[index]
    coverage.clear_cache()
    reference = Reference(scope)
    result = coverage.summarise(scope)
    got = {
        r["code"]: {
            k: r[k]
            for k in ("visits", "expected", "failed_items", "inspected", "unexpected", "missing")
        }
        for r in result["sites"]
    }
    assert got == reference.rows()
    assert any(r["inspected"] for r in got.values()) or scope.device_type or scope.prefecture
    missing = sorted((r["site_code"], r["tag"]) for r in coverage_details.missing_devices(scope))
    assert missing == reference.missing()
    unexpected = sorted(
        (r["site_code"], r["tag"], r["registered_site_code"])
        for r in coverage_details.unexpected_devices(scope)
    )
    assert unexpected == reference.unexpected()
    failed = sorted(
        (r["site_code"], r["tag"], r["item_key"]) for r in coverage_details.failed_items(scope)
    )
    assert failed == reference.failed()
    count, rows = coverage_details.never_inspected(scope)
    assert sorted((r["site_code"], r["tag"]) for r in rows) == reference.never_inspected()
    assert count == len(reference.never_inspected())


def test_the_reference_sees_corrections(history):
    """The data exercises what the optimisation could get wrong."""
    uuids = set(db.session.scalars(sa.select(Inspection.uuid)))
    corrected = set(
        db.session.scalars(
            sa.select(Inspection.supersedes_uuid).where(Inspection.supersedes_uuid.is_not(None))
        )
    )
    assert len(corrected & uuids) >= 20
