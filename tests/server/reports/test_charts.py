"""The dashboard's trend charts in the reports: inline SVG from dashboard/trends.py's figures,
the right number of marks with the right values, drawn into the PDF."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest

from server.services.dashboard import trends
from server.services.reports import charts, registry
from tests.server.reports import scene
from tests.server.reports.test_render import embedded_fonts, pdf_text


@pytest.fixture
def december(reference_data, factory, app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    return scene.build(reference_data, factory)


def figure(html: str, name: str) -> str:
    found = re.search(rf'<figure class="chart" id="chart-{name}">(.*?)</figure>', html, re.S)
    assert found, f"no chart {name}"
    assert found.group(1).lstrip().startswith("<svg")
    return found.group(1)


def values(svg: str, mark: str = "bar") -> list[float]:
    return [float(v) for v in re.findall(rf'class="{mark}"[^>]*data-value="([^"]+)"', svg)]


def test_bar_chart_draws_a_bar_per_label_and_series():
    svg = charts.bar_chart(
        "标题",
        ["1月", "2月", "3月"],
        [{"name": "a", "values": [1, 2, 3]}, {"name": "b", "values": [0, 1, 0]}],
    )
    assert svg.startswith("<svg") and 'role="img"' in svg and "<title>标题</title>" in svg
    assert values(svg) == [1, 0, 2, 1, 3, 0]


def test_stacked_bars_sum_to_the_total_and_a_line_leaves_gaps():
    svg = charts.bar_chart(
        "t", ["x"], [{"name": "a", "values": [2]}, {"name": "b", "values": [3]}], stacked=True
    )
    heights = [float(h) for h in re.findall(r'class="bar"[^>]*height="([^"]+)"', svg)]
    assert heights[0] * 3 == pytest.approx(heights[1] * 2, abs=0.2)  # 2 : 3 of one column
    line = charts.line_chart(
        "t", ["a", "b", "c"], [{"name": "r", "values": [0.5, None, 1]}], max_value=1, target=0.95
    )
    assert values(line, "point") == [0.5, 1]
    assert line.count("M") == 2  # the pen lifts over the missing month
    assert 'class="target"' in line


def test_text_is_escaped():
    svg = charts.hbar_chart("<b>", ["a&b"], [{"name": "s", "values": [1]}])
    assert "<b>" not in svg and "&lt;b&gt;" in svg and "a&amp;b" in svg


def test_fault_report_has_the_dashboards_charts(december, app):
    html = registry.report_html("faults_monthly", "2025-12")
    months = trends.last_months(datetime(2025, 12, 1, tzinfo=UTC).date())
    faults, response = trends.faults_by_month(months, datetime(2026, 1, 1, tzinfo=UTC))
    bars = values(figure(html, "faults"))
    assert len(bars) == 24  # 12 months x (reported, resolved)
    assert bars[-2:] == [2, 1]  # December: two faults, one resolved
    assert bars == [v for m in faults for v in (m["reported"], m["resolved"])]
    rate = figure(html, "rate")
    assert values(rate, "point") == [0.5]  # only December had faults
    assert 'class="target"' in rate
    bands = values(figure(html, "response"))
    assert len(bands) == 12 * len(trends.band_limits())
    assert sum(bands) == 2 == sum(sum(m["counts"]) for m in response)
    assert "12月" in html


def test_inspection_report_has_daily_checks_per_month(december):
    html = registry.report_html("inspection_monthly", "2025-12")
    assert len(values(figure(html, "daily"))) == 24  # 12 months x (owed, checked)


def test_sampling_report_has_coverage_per_prefecture(december):
    html = registry.report_html("sampling_quarterly", "2025Q4")
    svg = figure(html, "coverage")
    quarter = trends.coverage_by_quarter(trends.periods.parse_span("2025Q4"))
    assert len(values(svg)) == len(quarter) > 0
    assert any(v > 0 for v in values(svg))  # the visited county's prefecture


def test_the_charts_are_drawn_in_the_pdf(december):
    pdf = registry.render_report("faults_monthly", "2025-12")
    text = pdf_text(pdf)
    # The charts' drawn words (legends, month axis), in the bundled font.
    assert "报修 已解决" in text and "≤10 分钟" in text and "超过 120 分钟" in text
    assert "10月11月12月" in text.replace(" ", "")
    assert embedded_fonts(pdf)
    text = pdf_text(registry.render_report("sampling_quarterly", "2025Q4"))
    assert "2025Q4 覆盖率" in text
