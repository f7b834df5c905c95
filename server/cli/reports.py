"""`xunjian report KIND --period ... -o FILE.pdf`: one report as a PDF (or its HTML page)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext

from server.cli.run import run


@click.command("report")
@click.argument("kind", required=False)
@click.option("--period", help="2025-12 (monthly), 2025Q4 (quarterly); the assessment also 2025.")
@click.option("--meeting", type=int, help="A meeting's id (meeting_register: one meeting's form).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="File to write; .html writes the preview page (default: the report's Chinese name).",
)
@click.option("--list", "list_", is_flag=True, help="List the report kinds and stop.")
@with_appcontext
def report_command(
    kind: str | None, period: str | None, meeting: int | None, output: Path | None, list_: bool
):
    """Write a report (Chinese, fonts embedded) for a period or a meeting; --list the kinds."""
    from server.services.reports import registry

    if list_ or not kind:
        for row in registry.listing():
            state = "" if row["available"] else f"  (not yet: {row['unavailable_reason']})"
            click.echo(f"{row['name']:<20} {row['period_kind']:<8} {row['title']}{state}")
        return
    html = output is not None and output.suffix.lower() in (".html", ".htm")
    maker = registry.report_html if html else registry.render_report
    data = run(maker, kind, period or "", meeting=meeting)
    path = output or Path(registry.filename(kind, period, meeting))
    if html:
        path.write_text(data, encoding="utf-8")
    else:
        path.write_bytes(data)
    click.echo(f"Wrote {path} ({path.stat().st_size:,} bytes).")
