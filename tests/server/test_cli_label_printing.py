"""`xunjian labels` and thermal printers: a job file, a printer address or a configured name, a
printer that does not answer (exit 2, the job kept), `retry`, `printers`, `calibration`."""

import json

import sqlalchemy as sa
import zxingcpp

from server import tags
from server.models import Device, PrintJob
from tests.thermal_printer import Printer, silent_port, tspl_pages, zpl_pages


def run(app, *args):
    return app.test_cli_runner().invoke(args=["labels", *args])


def scanned(image) -> list[str]:
    found = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    return [tags.tag_from_scan(r.text) for r in found]


def a_tag(db) -> str:
    return db.session.scalars(sa.select(Device.tag).order_by(Device.id)).first()


def test_a_tspl_file_and_an_address(app, db, demo, tmp_path):
    tag = a_tag(db)
    out = tmp_path / "one.tspl"
    result = run(app, "print", "--template", "roll-40x30", "--tags", tag, "-o", str(out))
    assert result.exit_code == 0, result.output
    assert scanned(tspl_pages(out.read_bytes(), 203)[0]) == [tag]
    printer = Printer()
    try:
        result = run(
            app,
            "print",
            "--template",
            "roll-40x30",
            "--tags",
            tag,
            "--printer",
            f"127.0.0.1:{printer.port}",
            "--format",
            "zpl",
            "--dpi",
            "300",
        )
        assert result.exit_code == 0, result.output
        assert "ZPL 300 dpi" in result.output
        assert scanned(zpl_pages(printer.wait())[0]) == [tag]
    finally:
        printer.close()


def test_a_silent_printer_exits_2_keeps_the_job_and_retry_sends_it(app, db, demo, monkeypatch):
    tag = a_tag(db)
    server, held = silent_port()
    port = server.getsockname()[1]
    monkeypatch.setitem(
        app.config,
        "LABEL_PRINTERS",
        json.dumps([{"name": "desk", "language": "tspl", "host": "127.0.0.1", "port": port}]),
    )
    try:
        result = run(
            app,
            "print",
            "--template",
            "roll-40x30",
            "--tags",
            tag,
            "--printer",
            "desk",
            "--timeout",
            "0.5",
        )
    finally:
        for client in held:
            client.close()
        server.close()
    assert result.exit_code == 2 and "did not answer within 0.5 s" in result.output
    db.session.expire_all()
    [job] = db.session.scalars(sa.select(PrintJob))
    assert job.status == "failed" and f"xunjian labels retry {job.id}" in result.output
    assert "desk" in run(app, "printers").output
    printer = Printer()
    try:
        result = run(
            app, "retry", str(job.id), "--printer", f"127.0.0.1:{printer.port}", "--format", "tspl"
        )
        assert result.exit_code == 0, result.output
        assert scanned(tspl_pages(printer.wait(), 203)[0]) == [tag]
    finally:
        printer.close()
    db.session.expire_all()
    assert (db.session.get(PrintJob, job.id).status, db.session.get(PrintJob, job.id).attempts) == (
        "done",
        2,
    )


def test_calibration_to_a_file(app, tmp_path):
    out = tmp_path / "cal.zpl"
    result = run(app, "calibration", "--template", "roll-40x30", "-o", str(out), "--dpi", "300")
    assert result.exit_code == 0, result.output
    assert zpl_pages(out.read_bytes())[0].size == (472, 354)
    assert run(app, "calibration", "--template", "roll-40x30").exit_code == 2
