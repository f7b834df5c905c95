"""Label API: print batches whose every code scans to the right device, the register, re-tagging, bad input."""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import UTC, datetime

import pypdfium2
import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from server import tags
from server.models import AuditLog, Device, PrintJob, PrintJobItem, Region, Room, Site, TagAlias

PRINT = "/api/v1/labels/print"


def rasterise(pdf: bytes, pages: list[int], dpi: int = 203) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [document[i].render(scale=dpi / 72, grayscale=True).to_pil() for i in pages]
    finally:
        document.close()


def page_count(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def scanned_tags(image: Image.Image) -> list[str]:
    """What a scanner reads: each QR's URL, and the tag in it."""
    results = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [tags.tag_from_scan(result.text) for result in results]


def job_tags(db, job_id: int) -> list[str]:
    return list(
        db.session.scalars(
            sa.select(PrintJobItem.tag)
            .where(PrintJobItem.job_id == job_id)
            .order_by(PrintJobItem.position)
        )
    )


def device_tags_in_region(db, code: str) -> set[str]:
    inside = sa.select(Region.code).where(sa.or_(Region.code == code, Region.parent_code == code))
    query = (
        sa.select(Device.tag)
        .join(Room, Device.room_id == Room.id)
        .join(Site)
        .where(Site.region_code.in_(inside), Device.status != "retired")
    )
    return set(db.session.scalars(query))


def job_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(PrintJob.id)))


@pytest.fixture
def supervisor(auth, demo):
    return auth("supervisor")


def test_whole_province_on_a4_every_code_scans_to_its_device(supervisor, db):
    response = supervisor.post(PRINT, json={"template": "a4-3x8", "all": True})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    job = db.session.get(PrintJob, int(response.headers["X-Print-Job"]))
    everything = set(db.session.scalars(sa.select(Device.tag).where(Device.status != "retired")))
    printed = job_tags(db, job.id)
    assert job.count == len(printed) == len(everything) and set(printed) == everything
    assert (job.kind, job.template, job.channel, job.actor_label) == (
        "print",
        "a4-3x8",
        "api",
        supervisor.user.username,
    )
    pages = page_count(response.data)
    assert pages == -(-len(printed) // 24)
    for number, image in enumerate(rasterise(response.data, list(range(pages)))):
        # every code on every sheet scans, each to the device printed in that slot
        assert sorted(scanned_tags(image)) == sorted(printed[number * 24 : (number + 1) * 24]), (
            f"page {number + 1}"
        )


def test_one_county_on_a_roll(supervisor, db):
    county = device_tags_in_region(db, "520102")
    response = supervisor.post(PRINT, json={"template": "roll-40x30", "region": "520102"})
    assert response.status_code == 200, response.get_json()
    printed = job_tags(db, int(response.headers["X-Print-Job"]))
    assert set(printed) == county and len(printed) == len(county) > 0
    images = rasterise(response.data, list(range(page_count(response.data))))
    assert [
        tag for image in images for tag in scanned_tags(image)
    ] == printed  # one label per page, in order


def test_prefecture_includes_its_counties(supervisor, db):
    response = supervisor.post(PRINT, json={"template": "a4-4x10", "region": "520100"})
    assert response.status_code == 200
    printed = set(job_tags(db, int(response.headers["X-Print-Job"])))
    assert printed == device_tags_in_region(db, "520100")
    assert device_tags_in_region(db, "520102") < printed


def test_reprint_one_label_as_png(supervisor, db):
    tag = db.session.scalars(sa.select(Device.tag).order_by(Device.id)).first()
    assert supervisor.post(PRINT, json={"template": "roll-40x30", "tags": [tag]}).status_code == 200
    response = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag.lower()], "format": "png", "dpi": 300}
    )
    assert response.status_code == 200 and response.mimetype == "image/png"
    image = Image.open(io.BytesIO(response.data))
    assert round(image.info["dpi"][0]) == 300 and scanned_tags(image) == [tag]
    kinds = list(db.session.scalars(sa.select(PrintJob.kind).order_by(PrintJob.id)))
    assert kinds == ["print", "reprint"]


def test_several_pngs_come_as_a_zip(supervisor, db):
    some = list(db.session.scalars(sa.select(Device.tag).order_by(Device.id).limit(3)))
    response = supervisor.post(
        PRINT, json={"template": "roll-50x30", "tags": some, "format": "png"}
    )
    assert response.status_code == 200 and response.mimetype == "application/zip"
    with zipfile.ZipFile(io.BytesIO(response.data)) as archive:
        names = archive.namelist()
        read = [scanned_tags(Image.open(io.BytesIO(archive.read(name))))[0] for name in names]
    assert read == some and names[0] == f"0001-{some[0]}.png"


def test_retag_keeps_the_old_tag_as_an_alias_that_warns(supervisor, db, client):
    device = db.session.scalars(sa.select(Device).order_by(Device.id)).first()
    old = device.tag
    assert supervisor.post(PRINT, json={"template": "a4-3x8", "tags": [old]}).status_code == 200
    response = supervisor.post(f"/api/v1/devices/{old}/retag", json={"reason": "label torn off"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    new = body["current_tag"]
    assert body["retired_tag"] == old and new != old and tags.is_valid(new)

    by_old = supervisor.get(f"/api/v1/devices/{old}").get_json()
    assert by_old["tag"] == new and by_old["id"] == device.id
    assert by_old["warning"]["retired_alias"] == old and by_old["warning"]["current_tag"] == new
    assert by_old["warning"]["reason"] == "label torn off"
    assert supervisor.get(f"/api/v1/devices/{new}").get_json()["warning"] is None

    refused = supervisor.post(PRINT, json={"template": "a4-3x8", "tags": [old]})
    assert refused.status_code == 422 and new in refused.get_json()["error"]["message"]
    never = supervisor.post(
        PRINT, json={"template": "a4-3x8", "never_printed": True, "site": _site_of(db, device)}
    )
    assert never.status_code == 200
    assert new in job_tags(db, int(never.headers["X-Print-Job"]))
    job = db.session.get(PrintJob, int(never.headers["X-Print-Job"]))
    assert job.kind == "retag"
    changes = db.session.scalars(
        sa.select(AuditLog.changes).where(
            AuditLog.entity == "device",
            AuditLog.entity_id == str(device.id),
            AuditLog.action == "update",
        )
    ).all()
    assert [old, new] in [c.get("tag") for c in changes]  # the re-tag is in the audit log
    assert (
        db.session.scalar(sa.select(AuditLog.actor_label).where(AuditLog.entity == "tag_alias"))
        == supervisor.user.username
    )
    again = supervisor.post(f"/api/v1/devices/{old}/retag", json={"reason": "again"})
    assert again.status_code == 422  # re-tag by the current tag, not a retired one


def _site_of(db, device) -> str:
    return db.session.scalar(sa.select(Site.code).join(Room).where(Room.id == device.room_id))


def test_retag_needs_a_reason_and_writes_nothing_without(supervisor, db):
    tag = db.session.scalars(sa.select(Device.tag)).first()
    response = supervisor.post(f"/api/v1/devices/{tag}/retag", json={"reason": ""})
    assert response.status_code == 422
    assert db.session.scalar(sa.select(sa.func.count(TagAlias.id))) == 0
    assert (
        supervisor.post("/api/v1/devices/GZ000000/retag", json={"reason": "x"}).status_code == 404
    )


def test_never_printed_excludes_printed_devices(supervisor, db):
    assert (
        supervisor.post(PRINT, json={"template": "a4-3x8", "region": "520102"}).status_code == 200
    )
    response = supervisor.post(
        PRINT, json={"template": "a4-3x8", "region": "520100", "never_printed": True}
    )
    printed = set(job_tags(db, int(response.headers["X-Print-Job"])))
    assert printed == device_tags_in_region(db, "520100") - device_tags_in_region(db, "520102")


def test_printed_before_a_date(supervisor, db):
    first = supervisor.post(PRINT, json={"template": "a4-3x8", "region": "520102"})
    job = db.session.get(PrintJob, int(first.headers["X-Print-Job"]))
    job.at = datetime(2025, 3, 1, tzinfo=UTC)
    db.session.commit()
    assert (
        supervisor.post(PRINT, json={"template": "a4-3x8", "region": "520103"}).status_code == 200
    )
    response = supervisor.post(PRINT, json={"template": "a4-3x8", "printed_before": "2026-01-01"})
    assert response.status_code == 200
    assert set(job_tags(db, int(response.headers["X-Print-Job"]))) == device_tags_in_region(
        db, "520102"
    )
    before = job_count(db)
    empty = supervisor.post(PRINT, json={"template": "a4-3x8", "printed_before": "2025-01-01"})
    assert empty.status_code == 422 and job_count(db) == before


@pytest.mark.parametrize(
    "body,field,words",
    [
        ({"template": "a4-9x9", "all": True}, "template", "a4-3x8"),
        ({"template": "a4-3x8"}, "all", "Choose a batch"),
        ({"template": "a4-3x8", "region": "999999"}, "region", "Unknown region"),
        ({"template": "a4-3x8", "site": "nope"}, "site", "Unknown site"),
        ({"template": "a4-3x8", "type": "L77"}, "type", "Unknown device type"),
        (
            {"template": "a4-3x8", "region": "520102", "type": "L05"},
            "selection",
            "No device matches",
        ),
    ],
)
def test_bad_batches_print_nothing_and_record_nothing(supervisor, db, body, field, words):
    response = supervisor.post(PRINT, json=body)
    assert response.status_code == 422, response.get_json()
    error = response.get_json()["error"]
    assert words in error["message"] and field in error["errors"]["json"]
    assert job_count(db) == 0


def test_unknown_tags_are_all_listed(supervisor, db):
    known = db.session.scalars(sa.select(Device.tag)).first()
    unknown = tags.make_tag(30000)
    response = supervisor.post(PRINT, json={"template": "a4-3x8", "tags": [known, unknown, "GZ12"]})
    assert response.status_code == 422
    message = response.get_json()["error"]["message"]
    assert unknown in message and "GZ12" in message and known not in message
    assert job_count(db) == 0


def test_offsets_are_validated_stored_and_used(supervisor, db):
    off = supervisor.put(
        "/api/v1/labels/templates/a4-3x8/offsets", json={"offset_x": 9, "offset_y": 0}
    )
    assert off.status_code == 422
    assert "use a value between" in off.get_json()["error"]["errors"]["json"]["offset_x"][0]
    assert (
        supervisor.put(
            "/api/v1/labels/templates/a4-9x9/offsets", json={"offset_x": 0, "offset_y": 0}
        ).status_code
        == 404
    )
    ok = supervisor.put(
        "/api/v1/labels/templates/a4-3x8/offsets", json={"offset_x": 1.0, "offset_y": -0.5}
    )
    assert ok.status_code == 200 and ok.get_json()["offsets_updated_by"] == supervisor.user.username
    listed = {t["name"]: t for t in supervisor.get("/api/v1/labels/templates").get_json()}
    assert (listed["a4-3x8"]["offset_x"], listed["a4-3x8"]["offset_y"]) == (1.0, -0.5)
    assert listed["roll-40x30"]["offset_x"] == 0
    response = supervisor.post(PRINT, json={"template": "a4-3x8", "region": "520102"})
    job = db.session.get(PrintJob, int(response.headers["X-Print-Job"]))
    assert (job.offset_x_mm, job.offset_y_mm) == (1.0, -0.5)
    [image] = rasterise(response.data, [0])
    assert sorted(scanned_tags(image)) == sorted(job_tags(db, job.id)[:24])


def test_calibration_page(supervisor):
    response = supervisor.get("/api/v1/labels/calibration/roll-40x30")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert supervisor.get("/api/v1/labels/calibration/nope").status_code == 404


def test_preview_shows_the_first_label_and_records_nothing(supervisor, db):
    response = supervisor.post(
        "/api/v1/labels/preview", json={"template": "a4-3x8", "region": "520102"}
    )
    assert response.status_code == 200 and response.mimetype == "image/png"
    count = len(device_tags_in_region(db, "520102"))
    assert response.headers["X-Label-Count"] == str(count)
    assert response.headers["X-Label-Pages"] == str(-(-count // 24))
    [tag] = scanned_tags(Image.open(io.BytesIO(response.data)))
    assert tag in device_tags_in_region(db, "520102")
    pdf = supervisor.post(
        "/api/v1/labels/preview", json={"template": "a4-3x8", "all": True, "format": "pdf"}
    )
    assert pdf.status_code == 200 and page_count(pdf.data) == 1
    assert job_count(db) == 0


def test_register_pages_csv_and_detail(supervisor, auth, db):
    for region in ("520102", "520103"):
        supervisor.post(PRINT, json={"template": "a4-3x8", "region": region})
    viewer = auth("viewer")
    page = viewer.get("/api/v1/labels/jobs?per_page=1").get_json()
    assert page["total"] == 2 and page["items"][0]["description"] == "region 520103 云岩区"
    detail = viewer.get(f"/api/v1/labels/jobs/{page['items'][0]['id']}").get_json()
    assert [i["tag"] for i in detail["items"]] == job_tags(db, page["items"][0]["id"])
    assert viewer.get("/api/v1/labels/jobs/999").status_code == 404
    response = viewer.get("/api/v1/labels/jobs?format=csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == db.session.scalar(sa.select(sa.func.count(PrintJobItem.id)))
    assert rows[0]["by"] == supervisor.user.username and rows[0]["tag"] == rows[0]["current_tag"]
