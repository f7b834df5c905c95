"""`xunjian sync import FILE`: the same import as the office page, the receipt written next to
the file; a refused file exits 2 naming what is wrong and writes nothing."""

from __future__ import annotations

import sqlalchemy as sa

from server.models import SyncImport, Visit
from tests import handfile_maker as hf
from tests import sync_records as rec


def test_cli_imports_writes_the_receipt_and_refuses_an_altered_file(
    app, reference_data, factory, db, tmp_path
):
    engineer = factory.user("engineer")
    _client, answer = hf.sign_in(app, engineer)
    key = answer["phone_key"]
    records = [rec.visit("520000")]
    path = tmp_path / "phone.xjsync"
    path.write_bytes(hf.make(key, engineer, records))
    runner = app.test_cli_runner()
    done = runner.invoke(args=["sync", "import", str(path)])
    assert done.exit_code == 0, done.output
    assert "1 created" in done.output
    receipt = hf.receipt_ok(key, (tmp_path / "phone.xjreceipt").read_text(encoding="utf-8"))
    assert receipt["results"][0]["status"] == "created"
    again = runner.invoke(args=["sync", "import", str(path), "--receipt", str(tmp_path / "r2")])
    assert again.exit_code == 0 and "1 duplicate" in again.output
    run = db.session.scalars(sa.select(SyncImport).order_by(SyncImport.id)).first()
    assert run.imported_by_id is None and run.user_id == engineer.id
    altered = tmp_path / "altered.xjsync"
    altered.write_bytes(path.read_bytes().replace(b"quarterly", b"monthlyyy", 1))
    refused = runner.invoke(args=["sync", "import", str(altered)])
    assert refused.exit_code == 2
    assert "signature does not match" in refused.output
    assert not (tmp_path / "altered.xjreceipt").exists()
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Visit)) == 1
