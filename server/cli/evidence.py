"""`xunjian evidence verify` and `xunjian evidence anchors` (docs/evidence.md)."""

from __future__ import annotations

import sys

import click
from flask.cli import with_appcontext

from server.errors import AppError

SHOWN = 20


@click.group("evidence")
def evidence_group() -> None:
    """The tamper-evident chain of accepted records."""


@evidence_group.command("verify")
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="DAY=HASH",
    help="A daily anchor kept elsewhere (printed report), e.g. 2026-11-30=ab12...; repeatable.",
)
@with_appcontext
def verify_command(anchors: tuple[str, ...]) -> None:
    """Re-compute both chains, every record and photo; exit 1 naming the first mismatch."""
    from server.services.evidence import verify

    report = verify.run()
    wrong = _anchor_problems(anchors)
    click.echo(f"{report.links} links, {report.photos} photos checked.")
    for title, findings in (("gap", report.gaps), ("photo not uploaded", report.missing_photos)):
        for finding in findings[:SHOWN]:
            click.echo(f"warning ({title}): {finding.line()}")
        if len(findings) > SHOWN:
            click.echo(f"warning: {len(findings) - SHOWN} more of that kind")
    if report.ok and not wrong:
        click.echo("OK: the chain, the records and the photos match.")
        return
    for line in wrong:
        click.echo(f"MISMATCH: {line}", err=True)
    if report.problems:
        click.echo(f"FIRST MISMATCH: {report.problems[0].line()}", err=True)
        for finding in report.problems[1:SHOWN]:
            click.echo(f"mismatch: {finding.line()}", err=True)
        click.echo(f"{len(report.problems)} mismatches in all.", err=True)
    sys.exit(1)


def _anchor_problems(anchors: tuple[str, ...]) -> list[str]:
    """Each kept anchor compared with the chain's head at the end of its China day."""
    from datetime import date, timedelta

    from server import periods
    from server.services.sync import chain

    found = []
    for text in anchors:
        day_text, _, want = text.partition("=")
        try:
            day = date.fromisoformat(day_text.strip())
        except ValueError:
            click.echo(
                f"Error: --anchor is DAY=HASH, e.g. 2026-11-30=ab12..., not {text!r}", err=True
            )
            sys.exit(2)
        _, head = chain.head_at(periods.day_start(day + timedelta(days=1)))
        if head != want.strip().lower():
            found.append(f"the anchor of {day} is {head}, the kept one {want.strip()}")
    return found


@evidence_group.command("anchors")
@click.option("--period", required=True, help="2026-11, 2026Q4, 2026 or 2026-11-01..2026-11-30")
@with_appcontext
def anchors_command(period: str) -> None:
    """Print the daily anchors (the chain's head hash at the end of each China day)."""
    from server import periods
    from server.services.evidence import anchors

    try:
        span = periods.parse_period(period, "--period", "cli")
    except AppError as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(2)
    for row in anchors.daily(span):
        click.echo(f"{row['day']}  {row['records']:>6}  {row['seq']:>8}  {row['hash']}")
