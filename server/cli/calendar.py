"""`xunjian calendar show`: a year's (or month's) working days, their source and any gap warning."""

from __future__ import annotations

import click
from flask.cli import with_appcontext

from server.cli.run import run


@click.group("calendar")
def calendar_group() -> None:
    """The working-day calendar (holidays, make-up days, admin overrides)."""


@calendar_group.command("show")
@click.option("--year", help="A year, e.g. 2026.")
@click.option("--month", help="A month, e.g. 2026-10.")
@click.option("--all-days", is_flag=True, help="List every day, not only the exceptions.")
@with_appcontext
def show_command(year, month, all_days) -> None:
    """Print the days that differ from Monday-Friday (or all days) and the working-day count."""
    from server import periods
    from server.services.calendar import listing

    if bool(year) == bool(month):
        raise click.UsageError("Give exactly one of --year or --month.")
    args = {"year": year, "month": month}
    view = run(lambda: listing.describe(periods.query_span(args, location="args")))
    if view["warning"]:
        click.echo(f"Warning: {view['warning']}", err=True)
    for day in view["days"]:
        usual = day["weekday"] <= 5
        if all_days or day["working"] != usual or day["source"] == "override":
            kind = "work" if day["working"] else "off"
            extra = day["note"] or day["holiday"] or ""
            click.echo(f"{day['day'].isoformat()}  {kind:4}  {day['source']:12}  {extra}")
    period = view["period"]
    click.echo(f"# {period['label']}: {view['working_days']} working days", err=True)
