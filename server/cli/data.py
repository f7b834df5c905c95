"""`xunjian seed`, `import devices`, `export devices`, `create-user` and `coverage rebuild`."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from server.cli.run import run
from server.extensions import db
from server.security import ROLES


@click.command("seed")
@click.option("--demo", is_flag=True, help="Load the demo province (the 2025 contract inventory).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the database already has data.")
@click.option(
    "--no-year", is_flag=True, help="With --demo: the province only, without the simulated 2025."
)
@click.option(
    "--year-scale",
    type=click.FloatRange(0.05, 1.0),
    default=1.0,
    show_default=True,
    help="With --demo: simulate a smaller year (fewer months, visits and faults).",
)
@with_appcontext
def seed_command(demo: bool, if_empty: bool, no_year: bool, year_scale: float) -> None:
    """Load reference data (regions, bureaus, types, checklists), or the whole demo province."""
    from server.services import demo as demo_service
    from server.services.core import reference

    if reference.is_seeded():
        if if_empty:
            click.echo("Database already has data; not seeding.")
            return
        raise click.ClickException("The database already has data; seed only an empty one.")
    if not demo:

        def base():
            sites = reference.seed_regions_and_sites()
            reference.seed_rooms(sites)
            reference.seed_device_types()
            reference.seed_checklists()

        run(base)
        click.echo("Loaded regions, bureaus, rooms, device types and checklists.")
        return
    summary = run(demo_service.seed_demo)
    click.echo(
        f"Demo province: {summary['sites']} bureaus, {summary['devices']} devices "
        f"({summary['spares']} of them spares at the contractor's store), "
        f"{summary['types']} device types."
    )
    if not no_year:
        _seed_year(year_scale)
    if current_app.config.get("DEMO_MODE"):
        click.echo("Demo logins (demo mode, XUNJIAN_DEMO=1; change them before real use):")
    else:
        click.echo("Demo logins (each must be changed at its first sign-in):")
    for username, role, password in summary["logins"]:
        click.echo(f"  {username:<11} {role:<11} {password}")


def _seed_year(scale: float) -> None:
    """The simulated 2025 (services/demo_year), timed: `make run` waits for it."""
    from server.services import demo_year

    options = demo_year.Options.scaled(scale) if scale < 1 else demo_year.Options()
    started = time.perf_counter()
    summary = run(demo_year.seed_demo_year, options)  # the commit refreshes the coverage rows
    counts = ", ".join(f"{k} {v}" for k, v in summary["counts"].items())
    click.echo(f"Demo year {summary['year']}: {counts}.")
    click.echo(
        f"Demo year seeded in {time.perf_counter() - started:.1f} s "
        f"(simulation {summary['seconds']:.1f} s, {summary['cpu_seconds']:.1f} s of CPU; "
        f"load average {_load()})."
    )


def _load() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "unknown"


@click.group("import")
def import_group() -> None:
    """Import production data."""


@import_group.command("devices")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_devices_command(file: Path) -> None:
    """Import devices from CSV or XLSX; the whole file or nothing."""
    from server.services.core.importer import COLUMNS, import_devices

    count = run(import_devices, file)
    click.echo(f"Imported {count} devices (columns: {', '.join(COLUMNS)}).")


@click.group("export")
def export_group() -> None:
    """Export data."""


@export_group.command("devices")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="CSV or XLSX file; standard output when omitted.",
)
@with_appcontext
def export_devices_command(output: Path | None) -> None:
    """Export every device as CSV (or XLSX)."""
    from server.services.core.importer import export_devices

    data = export_devices(output)
    if data is not None:
        sys.stdout.buffer.write(data)


@click.command("create-user")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.option("--name", "display_name", required=True)
@click.password_option()
@with_appcontext
def create_user_command(username: str, role: str, display_name: str, password: str) -> None:
    """Create a user."""
    from server.services.core.users import create_user

    run(create_user, username, display_name, role, password)
    click.echo(f"Created {role} {username}.")


@click.group("coverage")
def coverage_group() -> None:
    """Coverage's derived rows."""


@coverage_group.command("rebuild")
@with_appcontext
def coverage_rebuild_command() -> None:
    """Recompute every visit's coverage rows from the records (after rows were written with
    raw SQL around the app, e.g. a bulk load; everything else keeps them exact itself)."""
    from server.services.coverage.targets import rebuild_all

    count = run(rebuild_all, db.session())
    click.echo(f"Rebuilt coverage rows: {count} visit targets.")
