"""Thermal printing through the API: a local TCP listener stands in for the printer, the job it
receives is rendered back and its QR decoded to the tag; a printer that does not answer gives a
clear 502 after the timeout and the job is kept, failed, to retry."""

from __future__ import annotations

import json
import os
import socket
import stat

import pytest
import sqlalchemy as sa
import zxingcpp

from server import tags
from server.models import Device, PrintJob, PrintJobItem
from tests.thermal_printer import Printer, silent_port, tspl_pages, zpl_pages

PRINT = "/api/v1/labels/print"


@pytest.fixture
def supervisor(auth, demo):
    return auth("supervisor")


@pytest.fixture
def printer():
    listener = Printer()
    yield listener
    listener.close()


def configure(app, monkeypatch, *records, timeout=2.0):
    monkeypatch.setitem(app.config, "LABEL_PRINTERS", json.dumps(list(records)))
    monkeypatch.setitem(app.config, "LABEL_PRINTER_TIMEOUT", timeout)


def scanned(image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [tags.tag_from_scan(r.text) for r in found]


def first_tags(db, n: int) -> list[str]:
    query = sa.select(Device.tag).where(Device.status != "retired").order_by(Device.id).limit(n)
    return list(db.session.scalars(query))


def test_a_40x30_tspl_job_reaches_the_printer_and_decodes_to_the_tag(
    app, monkeypatch, supervisor, db, printer
):
    configure(
        app,
        monkeypatch,
        {"name": "desk", "language": "tspl", "dpi": 203, "host": "127.0.0.1", "port": printer.port},
    )
    listed = supervisor.get("/api/v1/labels/printers").get_json()
    assert listed == [
        {
            "name": "desk",
            "language": "tspl",
            "dpi": 203,
            "address": f"127.0.0.1:{printer.port}",
            "description": "",
        }
    ]
    [tag] = first_tags(db, 1)
    response = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "desk"}
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (body["status"], body["printer"], body["output"], body["dpi"]) == (
        "done",
        "desk",
        "tspl",
        203,
    )
    job = printer.wait()
    assert job.startswith(b"SIZE 40 mm,30 mm\r\n")
    [page] = tspl_pages(job, 203)
    assert scanned(page) == [tag]
    assert db.session.get(PrintJob, body["id"]).attempts == 1


def test_zpl_at_300_dpi_prints_every_label_in_order(app, monkeypatch, supervisor, db, printer):
    configure(
        app,
        monkeypatch,
        {"name": "zebra", "language": "zpl", "dpi": 300, "host": "127.0.0.1", "port": printer.port},
    )
    some = first_tags(db, 3)
    response = supervisor.post(
        PRINT, json={"template": "roll-50x30", "tags": some, "printer": "zebra"}
    )
    assert response.status_code == 200, response.get_json()
    pages = zpl_pages(printer.wait())
    printed = [t for page in pages for t in scanned(page)]
    items = db.session.scalars(
        sa.select(PrintJobItem.tag)
        .where(PrintJobItem.job_id == response.get_json()["id"])
        .order_by(PrintJobItem.position)
    )
    assert printed == list(items) and sorted(printed) == sorted(some)


def test_a_printer_that_does_not_answer_gives_a_clear_error_and_the_job_is_kept(
    app, monkeypatch, supervisor, db, printer
):
    server, held = silent_port()
    try:
        configure(
            app,
            monkeypatch,
            {
                "name": "off",
                "language": "tspl",
                "host": "127.0.0.1",
                "port": server.getsockname()[1],
            },
            {"name": "desk", "language": "tspl", "host": "127.0.0.1", "port": printer.port},
            timeout=0.5,
        )
        [tag] = first_tags(db, 1)
        response = supervisor.post(
            PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "off"}
        )
    finally:
        for client in held:
            client.close()
        server.close()
    assert response.status_code == 502
    error = response.get_json()["error"]
    assert error["code_name"] == "printer_unreachable"
    assert "did not answer within 0.5 s" in error["message"] and "kept to retry" in error["message"]
    job_id = int(response.headers["X-Print-Job"])
    db.session.expire_all()
    job = db.session.get(PrintJob, job_id)
    assert (job.status, job.printer, job.attempts) == ("failed", "off", 1) and "0.5 s" in job.error
    # a failed job prints nothing: the device is still "never printed"
    never = supervisor.post(
        "/api/v1/labels/preview",
        json={"template": "roll-40x30", "tags": [tag], "never_printed": True},
    )
    assert never.status_code == 200
    retried = supervisor.post(f"/api/v1/labels/jobs/{job_id}/retry", json={"printer": "desk"})
    assert retried.status_code == 200, retried.get_json()
    assert (retried.get_json()["status"], retried.get_json()["attempts"]) == ("done", 2)
    assert scanned(tspl_pages(printer.wait(), 203)[0]) == [tag]
    again = supervisor.post(f"/api/v1/labels/jobs/{job_id}/retry", json={})
    assert again.status_code == 409


def test_a_refused_connection_is_an_error_at_once_and_kept(app, monkeypatch, supervisor, db):
    # Bound but not listening: the port refuses connections and no other process can take it
    # (a port closed and given back may be reused before the job connects).
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        port = held.getsockname()[1]
        configure(
            app, monkeypatch, {"name": "gone", "language": "zpl", "host": "127.0.0.1", "port": port}
        )
        [tag] = first_tags(db, 1)
        response = supervisor.post(
            PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "gone"}
        )
    assert (
        response.status_code == 502
        and "could not be reached" in response.get_json()["error"]["message"]
    )
    assert db.session.scalar(sa.select(PrintJob.status)) == "failed"


def test_a_cups_raw_queue_gets_the_job_through_lp(app, monkeypatch, supervisor, db, tmp_path):
    fake = tmp_path / "lp"
    fake.write_text(f'#!/bin/sh\necho "$@" > {tmp_path}/args\ncat > {tmp_path}/job\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    configure(app, monkeypatch, {"name": "cups", "language": "zpl", "dpi": 203, "queue": "TSC_244"})
    [tag] = first_tags(db, 1)
    response = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "cups"}
    )
    assert response.status_code == 200, response.get_json()
    assert (tmp_path / "args").read_text().startswith("-d TSC_244 -o raw")
    assert scanned(zpl_pages((tmp_path / "job").read_bytes())[0]) == [tag]


def test_files_and_bad_printer_input(app, monkeypatch, supervisor, db, printer):
    configure(
        app,
        monkeypatch,
        {"name": "desk", "language": "tspl", "host": "127.0.0.1", "port": printer.port},
    )
    [tag] = first_tags(db, 1)
    download = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag], "format": "zpl", "dpi": 300}
    )
    assert download.status_code == 200 and "attachment" in download.headers["Content-Disposition"]
    assert scanned(zpl_pages(download.data)[0]) == [tag]
    job = db.session.get(PrintJob, int(download.headers["X-Print-Job"]))
    assert (job.output, job.dpi, job.printer, job.status) == ("zpl", 300, None, "done")
    unknown = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "nope"}
    )
    assert (
        unknown.status_code == 422
        and "desk" in unknown.get_json()["error"]["errors"]["json"]["printer"][0]
    )
    wrong = supervisor.post(
        PRINT, json={"template": "roll-40x30", "tags": [tag], "printer": "desk", "format": "zpl"}
    )
    assert wrong.status_code == 422 and "format" in wrong.get_json()["error"]["errors"]["json"]
    assert db.session.scalar(sa.select(sa.func.count(PrintJob.id))) == 1


def test_the_calibration_page_on_the_printer_and_as_a_file(app, monkeypatch, supervisor, printer):
    configure(
        app,
        monkeypatch,
        {"name": "desk", "language": "tspl", "host": "127.0.0.1", "port": printer.port},
    )
    assert (
        supervisor.put(
            "/api/v1/labels/templates/roll-40x30/offsets", json={"offset_x": 1.0, "offset_y": 0}
        ).status_code
        == 200
    )
    sent = supervisor.post("/api/v1/labels/calibration/roll-40x30/print", json={"printer": "desk"})
    assert sent.status_code == 200 and sent.get_json()["printer"] == "desk"
    [page] = tspl_pages(printer.wait(), 203)
    row = round(15.5 * 203 / 25.4)
    assert abs(min(x for x in range(40) if page.getpixel((x, row)) < 128) - 8) <= 1  # the offset
    as_file = supervisor.get("/api/v1/labels/calibration/roll-40x30?format=zpl&dpi=300")
    assert as_file.status_code == 200 and zpl_pages(as_file.data)[0].size == (472, 354)
    default_dpi = supervisor.get("/api/v1/labels/calibration/roll-40x30?format=tspl")
    assert tspl_pages(default_dpi.data, 203)[0].size == (320, 240)  # the template's 203 dpi
