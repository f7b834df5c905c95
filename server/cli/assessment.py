"""`xunjian assessment`: print both scorecards of a period, each line's points and records."""

from __future__ import annotations

from datetime import timedelta

import click
from flask.cli import with_appcontext

from server.cli.run import run


def _records(finding: dict) -> str:
    return ", ".join(f"{link['label']} {link['url']}" for link in finding["links"])


def render(body: dict) -> str:
    """The scorecard as plain text (Chinese names, as on the form)."""
    period = body["period"]
    out = [f"考核期 {period['label']}: {period['first']}..{period['last']}"]
    for form in body["forms"]:
        verdict = "合格" if form["passed"] else "不合格"
        out.append(f"\n{form['name_zh']}  {form['total']}/{form['max_points']}  {verdict}")
        for line in form["lines"]:
            out.append(f"  {line['name_zh']:<14} {line['score']:>4} / {line['max_points']}")
            for finding in line["deductions"] + line["bonuses"]:
                day = finding["on"] or ""
                out.append(
                    f"      {finding['points']:+d}  {finding['rule_zh']}  {day}  {finding['what_zh']}"
                )
                if finding["links"]:
                    out.append(f"           {_records(finding)}")
            for finding in line.get("evidence", []):  # records shown at 0 points
                out.append(
                    f"      依据  {finding['rule_zh']}  {finding['on'] or ''}  {finding['what_zh']}"
                )
                out.append(f"           {_records(finding)}")
    money = body["money"]
    out.append(
        f"\n计分 {body['total']}: 履约保证金 ¥{money['deposit']:,}，扣 ¥{money['deposit_forfeited']:,}，"
        f"退 ¥{money['deposit_returned']:,}；尾款 ¥{money['final_payment']:,} "
        + ("可付" if money["final_payment_due"] else "暂缓")
    )
    if body["projection"]:
        out.append(
            f"预计 {body['projection']['total']}；本月尚有 {body['at_risk']['points']} 分风险"
        )
    return "\n".join(out)


@click.command("assessment")
@click.option("--year", help="A year, e.g. 2025.")
@click.option("--period", help="2025, 2025Q4, 2025-12, 2025-01-01..2025-03-31 or term.")
@with_appcontext
def assessment_command(year, period) -> None:
    """Print both forms of the assessment for a period (default: the contract term)."""
    from server import periods
    from server.services.assessment import term
    from server.services.assessment.scorer import assess
    from server.services.assessment.view import to_dict

    if year and period:
        raise click.UsageError("Give --year or --period, not both.")

    def score():
        span = periods.parse_period(
            year or period or "term", "--period", "cli", term.contract_term()
        )
        span = periods.within_term(span, "--period", "cli", term.contract_term())
        last = span.after - timedelta(days=1)
        return to_dict(assess(span.first, last, label=span.label))

    click.echo(render(run(score)))
