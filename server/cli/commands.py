"""Every `xunjian` command, added to the app's CLI by create_app (server/setup.py)."""

from __future__ import annotations

from flask import Flask

from server.cli.assessment import assessment_command
from server.cli.backup import backup_command, restore_command
from server.cli.calendar import calendar_group
from server.cli.data import (
    coverage_group,
    create_user_command,
    export_group,
    import_group,
    seed_command,
)
from server.cli.evidence import evidence_group
from server.cli.handover import handover_group
from server.cli.labels import labels_group
from server.cli.photos import photos_group
from server.cli.plans import plan_command
from server.cli.reminders import reminders_group
from server.cli.reports import report_command
from server.cli.sync import sync_group
from server.cli.worker import jobs_group, serve_command, worker_command

COMMANDS = (
    seed_command,
    import_group,
    export_group,
    create_user_command,
    labels_group,
    plan_command,
    coverage_group,
    calendar_group,
    worker_command,
    jobs_group,
    serve_command,
    handover_group,
    assessment_command,
    report_command,
    reminders_group,
    backup_command,
    restore_command,
    photos_group,
    evidence_group,
    sync_group,
)


def register(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
