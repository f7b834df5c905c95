"""Every `xunjian` command, added to the app's CLI by create_app (server/setup.py)."""

from __future__ import annotations

from flask import Flask

from server.cli.data import (
    coverage_group,
    create_user_command,
    export_group,
    import_group,
    seed_command,
)
from server.cli.labels import labels_group
from server.cli.plans import plan_command
from server.cli.reports import report_command

COMMANDS = (
    seed_command,
    import_group,
    export_group,
    create_user_command,
    labels_group,
    plan_command,
    coverage_group,
    report_command,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
