"""The handover package: what is in it, verify passing and naming the altered file, the CLI."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from server import periods
from server.services.handover import build, tables
from server.services.handover.verify import verify
from tests.server.handover import scene


@pytest.fixture
def records(app, tmp_path, reference_data, factory):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["JOB_FILES"] = str(tmp_path / "jobs")
    return scene.build(reference_data, factory)


@pytest.fixture
def package(records, tmp_path):
    path = tmp_path / "package.zip"
    steps = []
    build.build(periods.parse_period("term"), path, lambda done, total: steps.append((done, total)))
    assert steps[-1][0] == steps[-1][1] > 0  # progress ends at its total
    return path


def test_the_package_holds_every_table_the_photos_readme_and_manifest(package, records):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        for table in tables.TABLES:
            assert {f"data/{table.name}.csv", f"data/{table.name}.xlsx"} <= names
        assert {f"photos/{sha}.jpg" for sha in records.photos} <= names
        assert {"README.txt", "manifest.json", "manifest.csv", "coverage/2025Q2-sites.csv"} <= names
        assert "移交资料包" in archive.read("README.txt").decode()
        manifest = json.loads(archive.read("manifest.json"))
        listed = {entry["path"] for entry in manifest["files"]}
        assert listed == names - {"manifest.json", "manifest.csv"}
        assert manifest["period"] == {
            "label": "2025-01-01..2025-12-31",
            "first": "2025-01-01",
            "last": "2025-12-31",
        }
        photo = archive.read(f"photos/{records.photos[0]}.jpg")
        assert photo == scene.jpeg(1)
        rows = list(
            csv.DictReader(io.StringIO(archive.read("data/inspections.csv").decode("utf-8-sig")))
        )
        assert [r["item_outcome"] for r in rows] == ["fail"]
        assert rows[0]["item_note"] == "'" + scene.FORMULA_NOTE  # never a formula in Excel
        assert rows[0]["client_time"] == "2025-06-10 10:00:00"  # China time
        faults = list(
            csv.DictReader(io.StringIO(archive.read("data/faults.csv").decode("utf-8-sig")))
        )
        assert [f["id"] for f in faults] == [str(records.fault_id)]
        book = load_workbook(io.BytesIO(archive.read("data/inspections.xlsx")))
        sheet = book["inspections"]
        header = [c.value for c in sheet[1]]
        note = sheet.cell(row=2, column=header.index("item_note") + 1)
        assert (note.value, note.data_type) == (scene.FORMULA_NOTE, "s")


def test_a_period_outside_the_records_has_empty_tables(records, tmp_path):
    path = tmp_path / "empty.zip"
    build.build(periods.parse_period("2024Q1"), path)
    with zipfile.ZipFile(path) as archive:
        assert archive.read("data/inspections.csv").decode("utf-8-sig").count("\n") == 1
        assert not [n for n in archive.namelist() if n.startswith("photos/")]
    assert verify(path)[1] == []


def test_the_package_reads_its_photos_from_either_store(
    app, any_store, reference_data, factory, tmp_path, monkeypatch
):
    """The same package whether the photos are on the disk or on S3 (SeaweedFS)."""
    monkeypatch.setitem(app.config, "JOB_FILES", str(tmp_path / "jobs"))
    built = scene.build(reference_data, factory)
    assert set(built.photos) <= set(any_store.files())  # really in that store
    path = tmp_path / "either.zip"
    build.build(periods.parse_period("term"), path, lambda done, total: None)
    with zipfile.ZipFile(path) as archive:
        assert [archive.read(f"photos/{sha}.jpg") for sha in built.photos] == [
            scene.jpeg(n) for n in range(1, len(built.photos) + 1)
        ]
        assert "photos_missing.csv" not in archive.namelist()
    assert verify(path)[1] == []


def test_verify_passes_on_an_intact_package(package):
    checked, findings = verify(package)
    assert findings == [] and checked > 20


def _flip_byte_of(path, name):
    """Change one byte of one stored (uncompressed) entry in place, as a disk or a hand would."""
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(name)
    with open(path, "r+b") as fh:
        fh.seek(info.header_offset + 26)
        name_length = int.from_bytes(fh.read(2), "little")
        extra_length = int.from_bytes(fh.read(2), "little")
        position = info.header_offset + 30 + name_length + extra_length + 100
        fh.seek(position)
        byte = fh.read(1)
        fh.seek(position)
        fh.write(bytes([byte[0] ^ 0xFF]))


def test_verify_names_the_photo_one_byte_of_which_changed(app, package, records):
    name = f"photos/{records.photos[1]}.jpg"
    _flip_byte_of(package, name)
    findings = verify(package)[1]
    assert [(f.kind, f.path) for f in findings] == [("altered", name)]
    result = app.test_cli_runner().invoke(args=["handover", "verify", str(package)])
    assert result.exit_code == 1
    assert name in result.output


def _rewrite(source, target, change):
    """Copy a package entry by entry; change(name, data) returns new bytes or None to drop."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            data = change(info.filename, old.read(info.filename))
            if data is not None:
                new.writestr(info, data)
        return new


def test_verify_names_a_re_zipped_altered_a_missing_and_an_extra_file(package, records, tmp_path):
    photo = f"photos/{records.photos[0]}.jpg"
    altered = tmp_path / "altered.zip"
    _rewrite(package, altered, lambda n, d: d[:-1] + b"\x00" if n == photo else d)
    assert [(f.kind, f.path) for f in verify(altered)[1]] == [("altered", photo)]
    missing = tmp_path / "missing.zip"
    _rewrite(package, missing, lambda n, d: None if n == "data/faults.csv" else d)
    assert [(f.kind, f.path) for f in verify(missing)[1]] == [("missing", "data/faults.csv")]
    extra = tmp_path / "extra.zip"
    with zipfile.ZipFile(extra, "w") as out, zipfile.ZipFile(package) as archive:
        for info in archive.infolist():
            out.writestr(info, archive.read(info.filename))
        out.writestr("photos/smuggled.jpg", b"x")
    assert [(f.kind, f.path) for f in verify(extra)[1]] == [("extra", "photos/smuggled.jpg")]
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    assert verify(tmp_path / "junk.zip")[1][0].kind == "unreadable"


def test_cli_build_then_verify(app, records, tmp_path):
    runner = app.test_cli_runner()
    out = tmp_path / "cli.zip"
    result = runner.invoke(args=["handover", "build", "--period", "2025Q2", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert runner.invoke(args=["handover", "verify", str(out)]).exit_code == 0


@pytest.mark.parametrize(
    "period", ["2025-13", "2025-06-30..2025-06-01", "Q4", "2025-02-30..2025-03-01"]
)
def test_cli_refuses_a_bad_period_and_writes_nothing(app, tmp_path, period):
    out = tmp_path / "bad.zip"
    result = app.test_cli_runner().invoke(
        args=["handover", "build", "--period", period, "-o", str(out)]
    )
    assert result.exit_code == 2
    assert "--period" in result.output and not out.exists()


def test_a_failing_part_leaves_no_file_and_fails_the_job(app, records, monkeypatch, tmp_path):
    from server.extensions import db
    from server.models import Job
    from server.services.handover import parts
    from tests.server.tasks.helpers import run_pending

    def broken(ctx):
        ctx.writer.add_bytes("data/half.csv", b"a,b\n")
        raise RuntimeError("the disk said no")

    monkeypatch.setattr(parts, "PARTS", [*parts.PARTS, parts.Part("broken", lambda s: 1, broken)])
    job, _ = build.start("2025")
    db.session.commit()
    run_pending(app)
    job = db.session.get(Job, job.id, populate_existing=True)
    assert (job.status, job.error_code, job.active_key) == ("failed", "internal_error", None)
    assert "the disk said no" in job.error_message
    assert list((tmp_path / "jobs").iterdir()) == []  # no package, no half-written temporary


def test_the_package_holds_every_report_and_the_assessment_events(package):
    with zipfile.ZipFile(package) as archive:
        names = set(archive.namelist())
        reports = {n for n in names if n.startswith("reports/") and n.endswith(".pdf")}
        assert len(reports) == 12 * 2 + 4 + 1  # two monthly reports, four quarters, the form
        assert "reports/设备巡检技术报告-2025-12.pdf" in names
        assert "reports/服务考核表-2025-01-01..2025-12-31.pdf" in names
        assert archive.read("reports/设备巡检技术报告-2025-12.pdf").startswith(b"%PDF-")
        assert "assessment/events.csv" in names
        readme = archive.read("README.txt").decode()
        assert "份报告 PDF" in readme and "考核事件" in readme and "尚未提供" not in readme
