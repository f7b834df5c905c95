"""The meetings in the handover package: their tables (with revisions and the cancelled state),
checks, incidents, registers and recordings, each month's meeting report and every meeting's
register PDF, the signature photo by content hash, all in the manifest and verified."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from server import periods
from server.services.handover import build
from server.services.handover.verify import verify
from server.services.meetings import meetings
from tests.server.handover import scene
from tests.server.meetings import month_fixture


@pytest.fixture
def package(app, tmp_path, reference_data, factory, monkeypatch):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    monkeypatch.setattr(meetings, "current_time", lambda: month_fixture.NOW)
    signature = scene.store_photo(scene.jpeg(7))
    made = month_fixture.build(reference_data, factory, signature)
    path = tmp_path / "december.zip"
    build.build(periods.parse_period("2025-12"), path)
    return path, made, signature


def _csv(archive, name) -> list[dict]:
    return list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8-sig"))))


def test_the_package_holds_the_meetings(package):
    path, made, signature = package
    a, b, c = made["a"], made["b"], made["c"]
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        listed = {e["path"] for e in json.loads(archive.read("manifest.json"))["files"]}
        meetings_rows = _csv(archive, "data/meetings.csv")
        assert [(r["id"], r["state"]) for r in meetings_rows] == [
            (str(a.id), "scheduled"),
            (str(b.id), "scheduled"),
            (str(c.id), "cancelled"),
        ]  # November's meeting is outside the period
        assert meetings_rows[0]["site_count"] == "3" and meetings_rows[0]["speaking_count"] == "1"
        assert len(_csv(archive, "data/meeting_checks.csv")) == 5
        incidents = _csv(archive, "data/meeting_incidents.csv")
        assert [i["fault_id"] for i in incidents] == ["", str(made["fault"].id)]
        registers = _csv(archive, "data/usage_registers.csv")
        assert [(r["meeting_id"], r["current"], r["signature_photo_id"]) for r in registers] == [
            (str(a.id), "是", signature)
        ]
        assert registers[0]["shutdown_done"] == "audio displays matrix power"
        recordings = _csv(archive, "data/meeting_recordings.csv")
        assert [(r["file"], r["duration_min"]) for r in recordings] == [
            ("REC-20251210-0900", "125")
        ]
        due = _csv(archive, "data/meeting_due_checks.csv")
        assert len(due) == 9
        assert sorted(r["on_time"] for r in due) == [""] * 4 + ["否"] * 2 + ["是"] * 3
        assert due[0]["due_at"] == "2025-12-10 08:00:00"  # China time, as every table
        book = load_workbook(io.BytesIO(archive.read("data/meetings.xlsx")))
        assert book["meetings"].max_row == 4
        revisions = _csv(archive, "data/meeting_revisions.csv")
        assert [(r["meeting_id"], r["action"]) for r in revisions] == [(str(c.id), "cancelled")]
        assert json.loads(revisions[0]["changes"])["reason"]["new"] == "领导出差"
        assert "meetings/会议保障月报-2025-12.pdf" in names
        registers_pdf = {n for n in names if n.startswith("meetings/registers/")}
        assert len(registers_pdf) == 3
        assert all(archive.read(n).startswith(b"%PDF-") for n in registers_pdf)
        assert archive.read(f"photos/{signature}.jpg") == scene.jpeg(7)
        readme = archive.read("README.txt").decode()
        assert "data/meetings.csv" in readme and "meetings/registers/" in readme
        assert "会议保障资料" not in readme  # the part is there, not said to be missing
        assert listed == names - {"manifest.json", "manifest.csv"}
    assert verify(path) == (len(listed), [])


def test_verify_names_an_altered_register_pdf(package):
    path, made, _ = package
    with zipfile.ZipFile(path) as archive:
        name = next(n for n in archive.namelist() if n.startswith("meetings/registers/"))
    altered = path.with_name("altered.zip")
    with zipfile.ZipFile(path) as old, zipfile.ZipFile(altered, "w") as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info, data[:-2] + b"xx" if info.filename == name else data)
    assert [(f.kind, f.path) for f in verify(altered)[1]] == [("altered", name)]
