"""`xunjian photos migrate` (a local store to S3, every object verified) and `photos check`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("photos")
def photos_group() -> None:
    """The photo and attachment stores (a directory or s3://bucket/prefix)."""


@photos_group.command("migrate")
@click.option(
    "--from", "source", required=True, help="the old store: a directory (or s3://bucket/prefix)"
)
@click.option("--to", "target", default=None, help="the new store (default: PHOTO_STORE)")
@click.option(
    "--attachments",
    is_flag=True,
    help="the PDF attachments' store instead (checked as PDFs; default target ATTACHMENT_STORE)",
)
@with_appcontext
def migrate_command(source: str, target: str | None, attachments: bool) -> None:
    """Copy every file of a store into another, read each back and re-hash it; safe to run
    again (what is there is verified, not copied). Exit status 1 unless all verified."""
    from server.services.core import photo_migrate, photo_store

    check = photo_store.pdf_type if attachments else photo_store.image_type
    target = target or current_app.config["ATTACHMENT_STORE" if attachments else "PHOTO_STORE"]
    if str(target).rstrip("/") == str(source).rstrip("/"):
        raise click.UsageError(f"--from and --to are the same store ({source}).")
    try:
        source_store = photo_store.store_for(source, check)
        target_store = photo_store.store_for(target, check)
        click.echo(f"{source_store.location} -> {target_store.location}", err=True)
        summary = photo_migrate.migrate(source_store, target_store, _progress)
    except photo_store.StoreUnavailable as exc:
        click.echo(
            f"\nError: {exc.detail}. Nothing was lost; run the command again when the store "
            "answers (files already copied are verified, not copied again).",
            err=True,
        )
        sys.exit(1)
    click.echo("", err=True)
    for line in summary.lines():
        click.echo(line)
    sys.exit(0 if summary.ok else 1)


def _progress(summary) -> None:
    if summary.total % 100 == 0:
        click.echo(f"\r{summary.total} file(s)", nl=False, err=True)


@photos_group.command("check")
@with_appcontext
def check_command() -> None:
    """Check PHOTO_STORE and ATTACHMENT_STORE: reachable, the keys accepted, writable."""
    from server.services.core import photo_store

    try:
        photo_store.check_stores(current_app)
    except photo_store.StoreUnavailable as exc:
        click.echo(f"Error: {exc.message}", err=True)
        sys.exit(1)
    click.echo(f"PHOTO_STORE {current_app.config['PHOTO_STORE']}: ok")
    click.echo(f"ATTACHMENT_STORE {current_app.config['ATTACHMENT_STORE']}: ok")
