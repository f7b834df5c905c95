"""The demo province: the contract's units where domain.md says they are."""

import sqlalchemy as sa

from server.models import Device, DeviceType, Room, Site
from server.services.core import reference


def _installed_by_tier(db):
    rows = db.session.execute(
        sa.select(Site.tier, sa.func.count(Device.id))
        .join(Room, Room.site_id == Site.id)
        .join(Device, Device.room_id == Room.id)
        .group_by(Site.tier)
    ).all()
    return dict(rows)


def test_contract_units_installed_across_99_bureaus(db, demo):
    quantities = sum(int(r["qty"]) for r in reference.read_csv("inventory-2025.csv"))
    by_tier = _installed_by_tier(db)
    assert by_tier.pop("store") == demo["spares"]
    assert sum(by_tier.values()) == quantities == 1178
    bureaus = db.session.scalars(sa.select(Site.tier).where(Site.tier != "store")).all()
    assert len(bureaus) == 99 and bureaus.count("county") == 88
    sites_with_devices = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Room.site_id)))
        .join(Device, Device.room_id == Room.id)
        .join(Site, Site.id == Room.site_id)
        .where(Site.tier != "store")
    )
    assert sites_with_devices == 99


def test_each_line_has_its_quantity_and_spares_are_extra(db, demo):
    counts = dict(
        db.session.execute(
            sa.select(DeviceType.contract_line, sa.func.count(Device.id))
            .join(Device)
            .where(Device.status == "in_service")
            .group_by(DeviceType.contract_line)
        ).all()
    )
    for row in reference.read_csv("inventory-2025.csv"):
        assert counts[int(row["line"])] == int(row["qty"]), row["line"]
    spares = db.session.scalars(sa.select(Device).where(Device.status == "spare")).all()
    assert len(spares) == demo["spares"] > 0
    assert {d.room.site.tier for d in spares} == {"store"}  # held at the contractor's store


def test_every_county_has_the_county_lines(db, demo):
    per_county = db.session.execute(
        sa.select(Site.code, sa.func.count(Device.id))
        .join(Room, Room.site_id == Site.id)
        .join(Device, Device.room_id == Room.id)
        .join(DeviceType)
        .where(Site.tier == "county", DeviceType.contract_line.in_([59, 60, 61]))
        .group_by(Site.code)
    ).all()
    assert len(per_county) == 88 and {n for _, n in per_county} == {4}


def test_seed_is_deterministic(app, db):
    from server.services.demo import seed_demo

    seed_demo()
    first = db.session.scalars(sa.select(Device.tag).order_by(Device.id)).all()
    db.session.rollback()
    seed_demo()
    assert db.session.scalars(sa.select(Device.tag).order_by(Device.id)).all() == first
