"""Label services: batches, tag aliases never reissued, the tag_aliases pack section."""

import pytest
import sqlalchemy as sa

from server.errors import Conflict, Invalid
from server.models import Device, TagAlias
from server.services.core import devices
from server.services.labelling import batches as label_batches
from server.services.labelling import retag
from server.services.sync.registry import PACK_SECTIONS


def test_spares_and_retired_devices_are_left_out_of_area_batches(db, factory, reference_data):
    room = reference_data["sites"]["520102"].rooms[0]
    placed = factory.device("L09", room)
    factory.device("L09", None, status="spare")
    retired = factory.device("L09", room, status="retired")
    rows = label_batches.select_devices({"region": "520100"})
    assert [d.tag for d, *_ in rows] == [placed.tag]
    everything = {d.tag for d, *_ in label_batches.select_devices({"all": True})}
    assert retired.tag not in everything and len(everything) == 2
    [(device, *_)] = label_batches.select_devices(
        {"tags": [retired.tag]}
    )  # asked for by tag: printed
    assert device.id == retired.id


def test_a_retired_tag_is_never_issued_again(db, factory, reference_data):
    device = factory.device("L09")
    old = device.tag
    alias = retag.retag(device, "label lost")
    db.session.commit()
    assert alias.tag == old and device.tag != old
    assert devices.next_tag() not in (old, device.tag)
    with pytest.raises(Conflict):
        devices.create_device(type_code="L09", tag=old)
    assert devices.get_by_tag(old.lower()).tag_warning["current_tag"] == device.tag


def test_tag_aliases_pack_section(db, factory, reference_data):
    device = factory.device("L09")
    retag.retag(device, "label copied")
    db.session.commit()
    section = PACK_SECTIONS["tag_aliases"]
    [row] = [section.dump(a) for a in section.changed_since(None, None)]
    assert row["device_id"] == device.id and row["reason"] == "label copied"
    alias = db.session.scalar(sa.select(TagAlias))
    assert list(section.changed_since(None, alias.updated_at)) == []


def test_printed_before_needs_a_date(db, reference_data):
    with pytest.raises(Invalid, match="YYYY-MM-DD"):
        label_batches.select_devices({"printed_before": "1.1.2026"})


def test_devices_count_unchanged_by_retag(db, factory, reference_data):
    device = factory.device("L09")
    retag.retag(device, "lost")
    assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 1
