"""The web device import: a check lists every row's problem with a code and writes nothing;
an import writes the whole file or nothing; files of the wrong kind are refused in words."""

from __future__ import annotations

import io

import pytest
import sqlalchemy as sa
from openpyxl import Workbook, load_workbook

from server.extensions import db
from server.models import AuditLog, Device
from server.services.core.importer import COLUMNS

GOOD = ["", "", "L09", "520102", "主会议室", "in_service", "2025-03-31", ""]


def xlsx(rows, header=COLUMNS) -> bytes:
    book = Workbook()
    for row in [header, *rows]:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def rows_of(count: int, bad_at: int | None = None) -> list[list[str]]:
    rows = [[*GOOD[:1], f"SN-WEB-{n:03d}", *GOOD[2:]] for n in range(count)]
    if bad_at is not None:
        rows[bad_at][3] = "529999"  # no such site
    return rows


def send(client, path: str, content: bytes, name: str = "devices.xlsx"):
    return client.post(
        f"/api/v1/device-import{path}",
        data={"file": (io.BytesIO(content), name)},
        content_type="multipart/form-data",
    )


def count() -> int:
    return db.session.scalar(sa.select(sa.func.count(Device.id)))


@pytest.fixture
def boss(auth, reference_data):
    return auth("supervisor")


def test_a_check_lists_the_bad_row_and_writes_nothing(boss):
    before = count()
    answer = send(boss, "/check", xlsx(rows_of(20, bad_at=6)))
    assert answer.status_code == 200, answer.get_json()
    body = answer.get_json()
    assert (body["rows"], body["ready"]) == (20, False)
    assert [(p["row"], p["column"], p["code"]) for p in body["problems"]] == [
        (8, "site_code", "site_unknown")
    ]
    assert body["problems"][0]["params"] == {"value": "529999"}
    assert len(body["preview"]) == 19 and body["preview"][0]["room"].endswith("主会议室")
    assert count() == before


def test_an_import_with_a_bad_row_writes_nothing_and_the_fixed_file_imports_whole(boss):
    before = count()
    refused = send(boss, "", xlsx(rows_of(20, bad_at=6)))
    assert refused.status_code == 422
    error = refused.get_json()["error"]
    assert error["code_name"] == "import_rows"
    assert [r["row"] for r in error["errors"]["rows"]] == [8]
    db.session.expire_all()
    assert count() == before
    done = send(boss, "", xlsx(rows_of(20)))
    assert done.status_code == 201, done.get_json()
    body = done.get_json()
    assert body["imported"] == 20 and len(set(body["tags"])) == 20
    db.session.expire_all()
    assert count() == before + 20
    made = db.session.scalars(sa.select(Device).where(Device.tag.in_(body["tags"]))).all()
    assert sorted(d.serial for d in made) == [f"SN-WEB-{n:03d}" for n in range(20)]
    audited = sa.select(sa.func.count(AuditLog.id)).where(
        AuditLog.entity == "device", AuditLog.action == "create"
    )
    assert db.session.scalar(audited) >= 20


def test_a_duplicate_serial_in_the_file_is_named(boss):
    rows = rows_of(3)
    rows[2][1] = rows[0][1]
    body = send(boss, "/check", xlsx(rows)).get_json()
    assert [(p["row"], p["code"]) for p in body["problems"]] == [(4, "serial_taken")]


@pytest.mark.parametrize(
    ("content", "name", "code"),
    [
        (b"not a zip", "devices.xlsx", "file_not_xlsx"),
        (b"tag,serial\n", "devices.csv", "file_columns_missing"),
        (",".join(COLUMNS).encode() + b"\n", "devices.csv", "file_no_rows"),
        (b"\xff\xfe\x00bad", "devices.csv", "file_not_csv"),
        (b"", "devices.csv", "file_empty"),
        (b"tag\n", "devices.txt", "file_kind"),
    ],
)
def test_a_file_of_the_wrong_kind_is_refused_with_its_code(boss, content, name, code):
    before = count()
    for path in ("/check", ""):
        answer = send(boss, path, content, name)
        assert answer.status_code == 422, answer.get_json()
        error = answer.get_json()["error"]
        assert error["code_name"] == code
        assert "devices" in error["message"] and "/tmp" not in error["message"]
    assert count() == before


def test_the_template_imports_as_it_is(boss):
    answer = boss.get("/api/v1/device-import/template?format=xlsx")
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.data)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    assert header == COLUMNS
    check = send(boss, "/check", answer.data).get_json()
    assert check["ready"] is True and check["rows"] == 1
    csv = boss.get("/api/v1/device-import/template?format=csv")
    assert csv.status_code == 200 and csv.data.decode("utf-8-sig").startswith(",".join(COLUMNS))
    assert boss.get("/api/v1/device-import/template?format=pdf").status_code == 422


def test_a_retired_device_type_is_named_on_its_row(boss):
    assert boss.patch("/api/v1/device-types/L09", json={"retired": True}).status_code == 200
    body = send(boss, "/check", xlsx(rows_of(2))).get_json()
    assert [(p["row"], p["column"], p["code"]) for p in body["problems"]] == [
        (2, "type_code", "type_retired"),
        (3, "type_code", "type_retired"),
    ]
    assert count() == 0
