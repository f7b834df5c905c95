"""`xunjian plan`: make a quarter's sample (or daily/monthly checks) and print it as CSV."""

from __future__ import annotations

import csv
import sys

import click
from flask.cli import with_appcontext

from server.cli.run import run
from server.services.core.safe_cells import csv_row


@click.command("plan")
@click.option("--quarter", help="Quarterly sample, e.g. 2026Q1.")
@click.option(
    "--daily", "daily", help="Daily checks for every working day of a month, e.g. 2026-03."
)
@click.option("--monthly", "monthly", help="Monthly inspections for a year, e.g. 2026.")
@click.option("--size", type=int, help="Sites in a quarterly sample (default 30).")
@click.option("--seed", type=int, help="Seed for a reproducible choice (default: random, stored).")
@click.option("--replace", is_flag=True, help="Replace the existing plan for the period.")
@with_appcontext
def plan_command(quarter, daily, monthly, size, seed, replace) -> None:
    """Make a plan and print it as CSV: site code, site name, prefecture, engineer."""
    from server.services.plans import plans

    given = [
        (k, v) for k, v in (("quarterly", quarter), ("daily", daily), ("monthly", monthly)) if v
    ]
    if len(given) != 1:
        raise click.UsageError("Give exactly one of --quarter, --daily or --monthly.")
    kind, period = given[0]

    def make():
        plan = plans.create_plan(kind, period, size=size, seed=seed, replace=replace)
        return plan, [_row(e) for e in plan.entries]

    plan, rows = run(make)
    if gaps := (plan.notes or {}).get("calendar_gaps"):
        from server.services.calendar import gap_warning

        click.echo(f"Warning: {gap_warning(gaps)}", err=True)
    click.echo(
        f"# plan {plan.id}: {plan.kind} {plan.period}, {len(rows)} entries, seed {plan.seed}",
        err=True,
    )
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["site_code", "site_name", "prefecture", "engineer", "due_date", "reason"])
    writer.writerows(csv_row(row) for row in rows)


def _row(entry) -> list:
    from server.services.plans.plans import prefecture_of

    engineer = entry.engineer.username if entry.engineer else ""
    return [
        entry.site.code,
        entry.site.name,
        prefecture_of(entry.site),
        engineer,
        entry.due_date.isoformat(),
        entry.reason_code,
    ]
