"""`xunjian backup` (make, restore-check and record one backup now; the worker does it daily)
and `xunjian restore FILE` (into a fresh database)."""

from __future__ import annotations

import getpass
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext


@click.command("backup")
@click.option("--new-key", is_flag=True, help="print a new random BACKUP_KEY and stop")
@with_appcontext
def backup_command(new_key: bool) -> None:
    """Back up the database and the photos' manifest into BACKUP_DIR, encrypted with
    BACKUP_KEY, then restore it into a scratch database and compare (docs/backup.md)."""
    from server.extensions import db
    from server.services.backup import run, sealed

    if new_key:
        click.echo(sealed.new_key())
        return
    record = run.run_backup(f"cli:{getpass.getuser()}")
    db.session.commit()
    if record.state == "failed":
        click.echo(f"backup #{record.id} failed: {record.reason}", err=True)
        sys.exit(1)
    click.echo(
        f"backup #{record.id} {record.file_name} {record.size} bytes sha256 {record.sha256} "
        f"revision {record.revision}: {sum(record.counts.values())} rows in "
        f"{len(record.counts)} tables, {record.photos} photos"
    )
    if record.state != "verified":
        click.echo(f"restore check FAILED: {record.reason}", err=True)
        sys.exit(2)
    click.echo(f"restore check passed in {record.check_seconds} s")


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="replace what the database holds")
@with_appcontext
def restore_command(file: Path, force: bool) -> None:
    """Restore a backup FILE into DATABASE_URL, which must be empty unless --force."""
    from server.errors import BackupError
    from server.services.backup import restore, run

    try:
        result = restore.restore(file, run.key(), force=force)
    except BackupError as exc:
        click.echo(f"restore refused: {exc.message}", err=True)
        sys.exit(1)
    manifest = result["manifest"]
    click.echo(
        f"restored {file.name}: {sum(result['counts'].values())} rows in "
        f"{len(result['counts'])} tables, equal to the backup; {manifest['photos']} photos "
        "listed (the photo store keeps them)"
    )
    if manifest["revision"] != result["head"]:
        click.echo(
            f"the backup is at revision {manifest['revision']}; run `xunjian db upgrade` "
            f"to reach {result['head']}"
        )
