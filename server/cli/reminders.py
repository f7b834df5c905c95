"""`xunjian reminders tick`: evaluate the reminder rules and send what is due, once, now (the
worker does the same every minute)."""

from __future__ import annotations

import click
from flask.cli import with_appcontext


@click.group("reminders")
def reminders_group() -> None:
    """Reminders (docs/reminders.md)."""


@reminders_group.command("tick")
@with_appcontext
def tick_command() -> None:
    """Evaluate every enabled rule, queue what is new, send what is due; print the figures."""
    from server.services.reminders import run

    result = run.tick()
    click.echo(" ".join(f"{key}={value}" for key, value in result.items()))
