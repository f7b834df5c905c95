"""The xunjian CLI: seed, import and export, with clear errors and exit codes."""

import csv
from datetime import UTC

import sqlalchemy as sa

from server.models import AuditLog, Device, Visit


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_seed_demo_prints_logins_and_refuses_twice(app, db, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    result = run(app, "seed", "--demo", "--year-scale", "0.1")
    assert result.exit_code == 0, result.output
    assert "1186 devices" in result.output and "gongcheng-demo-2026" in result.output
    assert "Demo year 2025: " in result.output and "seeded in" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) > 10
    assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 1186
    again = run(app, "seed", "--demo")
    assert again.exit_code != 0 and "already has data" in again.output
    assert run(app, "seed", "--demo", "--if-empty").exit_code == 0


def test_seed_demo_without_the_year(app, db):
    result = run(app, "seed", "--demo", "--no-year")
    assert result.exit_code == 0, result.output
    assert "Demo year" not in result.output
    assert db.session.scalar(sa.select(sa.func.count(Visit.id))) == 0


def test_cli_writes_are_audited_as_cli(app, db):
    run(app, "seed")
    channels = set(db.session.scalars(sa.select(AuditLog.channel)))
    assert channels == {"cli"}


def test_import_errors_exit_nonzero_with_rows(app, db, tmp_path):
    run(app, "seed")
    path = tmp_path / "bad.csv"
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["type_code", "site_code", "room"])
        writer.writerow(["L09", "520102", "主会议室"])
        writer.writerow(["L77", "520102", "主会议室"])
    result = run(app, "import", "devices", str(path))
    assert result.exit_code == 2
    assert "row 3, column type_code: unknown device type 'L77'" in result.output
    assert db.session.scalar(sa.select(sa.func.count(Device.id))) == 0


def test_import_then_export(app, db, tmp_path):
    run(app, "seed")
    path = tmp_path / "ok.csv"
    path.write_text("type_code,site_code,room,serial\nL09,520102,主会议室,SN9\n", encoding="utf-8")
    assert run(app, "import", "devices", str(path)).exit_code == 0
    out = tmp_path / "all.xlsx"
    assert run(app, "export", "devices", "-o", str(out)).exit_code == 0
    from openpyxl import load_workbook

    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert rows[0][:3] == ("tag", "serial", "type_code") and rows[1][1] == "SN9"


def test_coverage_rebuild_restores_rows_written_around_the_app(app, db, reference_data, factory):
    from datetime import datetime

    from server.models import Room, VisitTally, VisitTarget
    from tests.server.plans_helpers import FieldFactory

    engineer = factory.user("engineer")
    device = factory.device("L09", room=db.session.scalar(sa.select(Room).limit(1)))
    field = FieldFactory()
    visit = field.visit(
        db.session.get(Room, device.room_id).site,
        engineer,
        datetime(2026, 5, 1, tzinfo=UTC),
    )
    field.inspection(visit, device, failed_items=["fan"])
    db.session.commit()
    kept = sorted(
        (t.visit_id, t.device_id, t.own, t.failed_items)
        for t in db.session.scalars(sa.select(VisitTarget))
    )
    assert kept == [(visit.id, device.id, True, 1)]
    db.session.execute(sa.delete(VisitTally))  # as a raw-SQL load would leave them
    db.session.execute(sa.delete(VisitTarget))
    db.session.commit()
    result = run(app, "coverage", "rebuild")
    assert result.exit_code == 0, result.output
    assert "1 visit targets" in result.output
    db.session.expire_all()
    assert (
        sorted(
            (t.visit_id, t.device_id, t.own, t.failed_items)
            for t in db.session.scalars(sa.select(VisitTarget))
        )
        == kept
    )
    assert db.session.scalar(sa.select(sa.func.count()).select_from(VisitTally)) == 1
