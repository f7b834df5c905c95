"""The assessment of a hand-built March 2025 (tests/server/assessment_scene.py), every line of
both forms worked out by hand, then compared with what the scorer says."""

from __future__ import annotations

from datetime import date

import pytest

from server.extensions import db
from server.services.assessment import assess
from tests.server import assessment_scene as scene
from tests.server.frozen import FrozenClock, cst

NOW = cst(2025, 4, 10, 12, 0)

# By hand. av: daily_inspection 10 - 3 missed days (5, 12, 31 March) - 2 bureaus short in Q1 = 5;
# service 30 - 2 (rate 4/5 not above 95 %) + 10 praise - 2 (the complaint corrected into a
# minor service failure) = 36; emergency 20 - 1 (F2 20 min) - 5 (F3 45 min) - 20 (F4 3 h)
# - 60 (F4 outage 5 h: -20 for the first hour, -10 for each of 4 more) + 10 help = -56 -> 0;
# the attitude event was withdrawn, the communication one is in April.
AV = {
    "daily_inspection": (10, [-1, -1, -1, -1, -1], 5),
    "service": (30, [-2, 10, -2], 36),
    "emergency": (20, [-1, -5, -20, -60, 10], 0),
    "major_events": (20, [], 20),
    "communication": (10, [], 10),
    "attitude": (10, [], 10),
}
# software: sla 30 - 5 x 6 misses (F2 response 20 and resolution 180, F3 response 45,
# F4 response 180 and resolution 300, F5 open for days) + 10 praise = 10; backup 0 (a leak);
# communication 5 - 1 (March's monthly visit has no summary: no written report).
SOFTWARE = {
    "monitoring": (15, [], 15),
    "sla": (30, [-5] * 6 + [10], 10),
    "emergency": (25, [], 25),
    "change": (10, [], 10),
    "backup": (10, [0], 0),
    "documentation": (5, [], 5),
    "communication": (5, [-1], 4),
}


@pytest.fixture
def march(app, reference_data, factory, monkeypatch, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    app.config["ATTACHMENT_STORE"] = str(tmp_path / "attachments")
    FrozenClock(monkeypatch, NOW)
    sites = reference_data["sites"]
    engineer, supervisor = factory.user("engineer"), factory.user("supervisor")
    room = reference_data["rooms"][(scene.PROVINCE, "main_conference")]
    device = factory.device("L09", room=room)
    scene.daily_and_monthly(sites, engineer, device)
    scene.quarterly(sites, engineer)
    faults = scene.faults(device, engineer)
    made = scene.events(supervisor, faults[3])
    db.session.commit()
    return {"faults": faults, "events": made}


def _lines(form):
    return {
        line.code: (
            line.max_points,
            [f.points for f in line.deductions + line.bonuses],
            line.score,
        )
        for line in form.lines
    }


def _sorted(table):
    return {k: (m, sorted(p), s) for k, (m, p, s) in table.items()}


def test_every_line_by_hand(march):
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW, label="2025-03")
    av, software = result.forms
    assert _sorted(_lines(av)) == _sorted(AV)
    assert _sorted(_lines(software)) == _sorted(SOFTWARE)
    assert (av.total, av.passed) == (81, True)
    assert (software.total, software.passed) == (69, False)
    assert (result.total, result.passed) == (69, False)
    assert result.money["band"] == "half"
    assert result.money["deposit"] == 119_150
    assert result.money["deposit_forfeited"] == 59_575
    assert result.money["final_payment"] == 238_300
    assert result.money["final_payment_due"] is False
    assert result.projection is None and result.at_risk is None  # a past period


def test_each_point_links_its_records(march):
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=NOW)
    daily = result.forms[0].lines[0]
    missed = [f for f in daily.deductions if f.rule == "missed_daily_check"]
    assert [f.on for f in missed] == list(scene.MISSED_DAYS)
    assert [link["kind"] for link in missed[0].links] == ["plan_entry", "coverage"]
    emergency = result.forms[0].lines[2]
    outage = next(f for f in emergency.deductions if f.rule == "contractor_outage")
    f4 = march["faults"][3]
    assert [(link["kind"], link["id"]) for link in outage.links] == [
        ("event", march["events"]["outage"].id),
        ("fault", f4.id),
    ]
    assert outage.detail["outage_minutes"] == 300
    assert outage.detail["fault"]["clocks"]["response"]["deduction"] == -20
    praise = next(f for f in result.forms[0].lines[1].bonuses if f.rule == "written_praise")
    kinds = [link["kind"] for link in praise.links]
    assert kinds == ["event", "attachment"]
    assert praise.links[1]["url"].startswith("/api/v1/assessment/attachments/")


def test_a_wider_period_clipped_to_the_term(march):
    """2024-12-01..2025-03-31 is clipped to the contract's first day; Q1 counts once."""
    whole = assess(date(2024, 12, 1), date(2025, 3, 31), now=NOW)
    assert whole.first == date(2025, 1, 1)
    quarter_short = [
        f for f in whole.forms[0].lines[0].deductions if f.rule == "missed_quarterly_visit"
    ]
    assert len(quarter_short) == 2


def test_the_current_period_projects_and_counts_what_is_at_risk(march):
    """Seen on 20 March: only 5 and 12 March are missed so far; 8 working days are still owed."""
    now = cst(2025, 3, 20, 12, 0)
    result = assess(date(2025, 3, 1), date(2025, 3, 31), now=now)
    daily = [f.on for f in result.forms[0].lines[0].deductions]
    assert daily == [date(2025, 3, 5), date(2025, 3, 12)]  # the quarter and month are not over
    assert result.projection["days_over"] == 19 and result.projection["days"] == 31
    risk = {(r["rule"]): r["points"] for r in result.at_risk["items"]}
    # 20..31 March: 20, 21, 24..28, 31 -> 8 working days still owed
    assert risk["missed_daily_check"] == -8
    assert risk["missed_monthly_report"] == -1
    assert "missed_monthly_inspection" not in risk  # the scene holds the visit of 25 March
    # daily_inspection has 10 - 2 = 8 left for the 8 days; the software report adds 1.
    assert result.at_risk["points"] == 8 + 1


def test_the_cli_prints_every_line_with_its_records(march, app):
    result = app.test_cli_runner().invoke(args=["assessment", "--period", "2025-03"])
    assert result.exit_code == 0, result.output
    assert "服务考核表  81/100  合格" in result.output
    assert "服务考核表（软件运维考核）  69/100  不合格" in result.output
    assert "日常巡检              5 / 10" in result.output
    assert "-60  乙方原因造成中断  2025-03-20" in result.output
    assert f"/faults?fault={march['faults'][3].id}" in result.output
    assert "扣 ¥59,575" in result.output
    bad = app.test_cli_runner().invoke(args=["assessment", "--period", "2026Q1"])
    assert bad.exit_code == 2 and "no day in the contract term" in bad.output


def test_the_report_context_is_ready_for_a_template(march):
    from server.services.assessment.context import assessment_context

    context = assessment_context(date(2025, 3, 1), date(2025, 3, 31), now=NOW)
    assert context["period_text"] == "2025年3月1日至2025年3月31日"
    assert [f["verdict"] for f in context["forms"]] == ["合格", "不合格"]
    assert context["money_text"]["deposit_forfeited"] == "¥59,575"
    daily = context["forms"][0]["lines"][0]
    assert daily["reasons"] == "未完成每日健康检查 3 次 -3；季度抽检点位不足 2 次 -2"
    assert len(context["appendix"]) == sum(
        len(line["deductions"]) + len(line["bonuses"])
        for form in context["forms"]
        for line in form["lines"]
    )
    assert context["appendix"][0]["records"][0]["url"].startswith("/api/v1/plans/")
    assert [s["party"] for s in context["signatures"]] == ["建设单位", "用户单位"]


def test_the_assessment_form_pdf_prints_the_scorer_lines(march):
    """The report of attachment 4 rendered from the real scorer: both forms, their totals
    and a deduction's record in the appendix (tests/server/reports for the layout)."""
    from server.services.reports import registry
    from tests.server.reports.test_render import embedded_fonts, pdf_text

    text = pdf_text(registry.render_report("assessment", "2025-03"))
    for words in ("服务考核表", "建设单位", "用户单位", "附录", "履约保证金"):
        assert words in text, words
    assert "81" in text and "69" in text  # the two form totals worked out by hand above
    assert embedded_fonts(registry.render_report("assessment", "2025-03"))
