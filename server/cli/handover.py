"""`xunjian handover build` (inline, no worker needed) and `xunjian handover verify`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from server.errors import AppError


@click.group("handover")
def handover_group() -> None:
    """The handover package: every record, photo and report of a period, with a manifest."""


@handover_group.command("build")
@click.option(
    "--period",
    default="term",
    show_default=True,
    help="term, 2025, 2025Q4, 2025-12 or 2025-01-01..2025-06-30",
)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False, path_type=Path))
@with_appcontext
def build_command(period: str, output: Path) -> None:
    """Build the package of a period into a ZIP file (runs here, not on the worker)."""
    from server import periods
    from server.services.handover import build

    try:
        span = periods.parse_period(period, "--period", "cli")
    except AppError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)

    def report(done: int, total: int) -> None:
        click.echo(f"\r{done}/{total}", nl=False, err=True)

    summary = build.build(span, output, report)
    click.echo("", err=True)
    click.echo(f"{output}: {summary['files']} files, period {span.label}")


@handover_group.command("verify")
@click.argument("package", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def verify_command(package: Path) -> None:
    """Check every file of a package against its manifest; exit 1 naming the first bad file."""
    from server.services.handover.verify import verify

    checked, findings = verify(package)
    if not findings:
        click.echo(f"OK: {checked} files match the manifest.")
        return
    click.echo(f"FAILED: {findings[0]}", err=True)
    for finding in findings[1:]:
        click.echo(f"  also {finding}", err=True)
    sys.exit(1)
