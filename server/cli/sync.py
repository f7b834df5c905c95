"""`xunjian sync import FILE`: import a phone's hand-over file (docs/handover-file.md)."""

from __future__ import annotations

from pathlib import Path

import click
from flask.cli import with_appcontext


@click.group("sync")
def sync_group() -> None:
    """Phone records that came by file instead of the network."""


@sync_group.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--receipt",
    "receipt_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Where to write the signed receipt (default: next to FILE, .xjreceipt).",
)
@with_appcontext
def import_command(file: Path, receipt_path: Path | None) -> None:
    """Verify FILE whole, store its records as the phone's user would push them, write the
    receipt for the phone. A refused file writes nothing and exits 2 naming what is wrong."""
    from server.cli.run import run
    from server.services.sync import handfile_import

    with file.open("rb") as stream:  # read line by line: memory holds one photo, not the file
        run_row = run(handfile_import.import_file, stream, None, file.name)
    target = receipt_path or file.with_suffix(".xjreceipt")
    target.write_text(run_row.receipt, encoding="utf-8")
    click.echo(
        f"import #{run_row.id}: {run_row.records} records of user id {run_row.user_id} "
        f"(phone {run_row.phone_id}): {run_row.created} created, {run_row.duplicates} "
        f"duplicate, {run_row.conflicts} conflict, {run_row.rejected} rejected; "
        f"{run_row.photos} photos."
    )
    for answer in handfile_import.results_of(run_row):
        if answer["status"] == "rejected":
            click.echo(f"  rejected {answer['uuid']}: {answer.get('code')} {answer.get('reason')}")
    click.echo(f"receipt: {target}")
