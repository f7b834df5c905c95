"""`xunjian report`: the kinds, a PDF for a period, a clear error for a bad one."""

from __future__ import annotations

from tests.server.reports.test_render import pdf_text


def run(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def test_report_list_and_pdf(app, reference_data, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    listed = run(app, "report", "--list")
    assert listed.exit_code == 0
    assert "inspection_monthly" in listed.output and "meetings_monthly" in listed.output
    assert "meeting_register     meeting" in listed.output
    out = tmp_path / "december.pdf"
    result = run(app, "report", "faults_monthly", "--period", "2025-12", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "故障处理与SLA月报" in pdf_text(out.read_bytes())
    page = tmp_path / "q4.html"
    assert (
        run(app, "report", "sampling_quarterly", "--period", "2025Q4", "-o", str(page)).exit_code
        == 0
    )
    assert "全省设备抽样巡检季度报告" in page.read_text(encoding="utf-8")


def test_report_bad_period_exits_2_naming_it(app, tmp_path):
    out = tmp_path / "x.pdf"
    result = run(app, "report", "inspection_monthly", "--period", "2025-12-31", "-o", str(out))
    assert result.exit_code == 2
    assert "period '2025-12-31'" in result.output
    assert not out.exists()


def test_report_of_one_meeting_and_without_one(app, reference_data, factory, tmp_path):
    from tests.server.meetings import month_fixture

    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    made = month_fixture.build(reference_data, factory)
    out = tmp_path / "register.pdf"
    result = run(app, "report", "meeting_register", "--meeting", str(made["a"].id), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert "全省医保视频调度会" in pdf_text(out.read_bytes())
    missing = run(app, "report", "meeting_register", "-o", str(tmp_path / "none.pdf"))
    assert missing.exit_code == 2 and "meeting is missing" in missing.output
