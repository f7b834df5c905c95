"""The one helper every command module shares: run an operation as one audited transaction."""

from __future__ import annotations

import sys

import click

from server.errors import AppError
from server.extensions import db


def run(action, *args, **kwargs):
    """Run one CLI operation as one transaction, attributed to the CLI in the audit log;
    a domain error is printed (with its bad rows) and exits with status 2."""
    from server.services.core.audit import acting_as

    with acting_as(None, "cli"):
        try:
            result = action(*args, **kwargs)
            db.session.commit()
            return result
        except AppError as exc:
            if getattr(exc, "keep_writes", False):  # e.g. a print job kept to retry
                db.session.commit()
            else:
                db.session.rollback()
            click.echo(f"Error: {exc.message}", err=True)
            for row in (exc.errors or {}).get("rows", []):
                click.echo(f"  row {row['row']}, column {row['column']}: {row['reason']}", err=True)
            sys.exit(2)
