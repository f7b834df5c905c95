"""Device import: whole file or nothing, every problem listed with row and column."""

import csv

import pytest
import sqlalchemy as sa
from openpyxl import Workbook

from server import tags
from server.errors import Invalid
from server.models import Device
from server.services.core.importer import COLUMNS, export_devices, import_devices

GOOD = {
    "tag": "",
    "serial": "SN-1",
    "type_code": "L09",
    "site_code": "520102",
    "room": "主会议室",
    "status": "in_service",
    "install_date": "2025-03-31",
    "notes": "",
}


def write_csv(path, rows, header=COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header)
        writer.writeheader()
        writer.writerows([{k: r.get(k, "") for k in header} for r in rows])
    return path


def device_count(db):
    return db.session.scalar(sa.select(sa.func.count(Device.id)))


def test_good_rows_are_imported_with_issued_tags(tmp_path, db, reference_data):
    given = tags.make_tag(900)
    path = write_csv(
        tmp_path / "d.csv",
        [
            GOOD,
            {**GOOD, "serial": "SN-2", "tag": given},
            {**GOOD, "serial": "", "site_code": "", "room": "", "status": "spare"},
        ],
    )
    assert import_devices(path) == 3
    assert device_count(db) == 3
    assert db.session.scalar(sa.select(Device).where(Device.tag == given)).serial == "SN-2"


def test_xlsx_is_read_like_csv(tmp_path, db, reference_data):
    book = Workbook()
    book.active.append(COLUMNS)
    book.active.append([GOOD[c] for c in COLUMNS])
    book.save(tmp_path / "d.xlsx")
    assert import_devices(tmp_path / "d.xlsx") == 1


def test_every_problem_is_listed_and_nothing_written(tmp_path, db, reference_data):
    tag = tags.make_tag(5)
    bad_check = tag[:-1] + ("0" if tag[-1] != "0" else "1")
    rows = [
        GOOD,
        {**GOOD, "serial": "SN-1"},  # duplicate serial in file
        {**GOOD, "serial": "A", "type_code": "L99"},  # unknown type
        {**GOOD, "serial": "B", "site_code": "999999"},  # unknown site
        {**GOOD, "serial": "C", "room": "厨房"},  # unknown room
        {**GOOD, "serial": "D", "tag": bad_check},  # bad check character
        {**GOOD, "serial": "E", "tag": tag},
        {**GOOD, "serial": "F", "tag": tag},  # duplicate tag
        {**GOOD, "serial": "G", "status": "lost"},
        {**GOOD, "serial": "H", "install_date": "31/03/2025"},
    ]
    with pytest.raises(Invalid) as caught:
        import_devices(write_csv(tmp_path / "bad.csv", rows))
    found = {(e["row"], e["column"]) for e in caught.value.errors["rows"]}
    assert found == {
        (3, "serial"),
        (4, "type_code"),
        (5, "site_code"),
        (6, "room"),
        (7, "tag"),
        (9, "tag"),
        (10, "status"),
        (11, "install_date"),
    }
    db.session.rollback()
    assert device_count(db) == 0


def test_missing_column_is_refused(tmp_path, db, reference_data):
    path = write_csv(tmp_path / "d.csv", [GOOD], header=["tag", "type_code", "room"])
    with pytest.raises(Invalid, match="site_code"):
        import_devices(path)


def test_duplicate_of_existing_device_is_refused(tmp_path, db, reference_data, factory):
    factory.device(serial="SN-1", room=reference_data["rooms"][("520102", "main_conference")])
    with pytest.raises(Invalid):
        import_devices(write_csv(tmp_path / "d.csv", [GOOD]))


def test_export_then_import_round_trips(tmp_path, db, reference_data, factory):
    room = reference_data["rooms"][("520102", "main_conference")]
    made = {factory.device(serial=f"S{n}", room=room).tag: f"S{n}" for n in range(3)}
    exported = tmp_path / "out.csv"
    export_devices(exported)
    with open(exported, encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["tag"]: r["serial"] for r in rows} == made
    assert {(r["site_code"], r["room"], r["status"]) for r in rows} == {
        ("520102", "主会议室", "in_service")
    }
    db.session.execute(sa.text("DELETE FROM device_event"))
    db.session.execute(sa.delete(Device))
    assert import_devices(exported) == 3
    assert dict(db.session.execute(sa.select(Device.tag, Device.serial)).all()) == made
