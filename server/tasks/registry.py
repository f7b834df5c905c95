"""Every background task, in one place: job kinds (run for a Job row) and periodic tasks.

A job kind maps to a builder `fn(job, report)` that returns (path, download name) of the file
it made, or None; `report(done, total)` writes progress. Other issues add their kinds here
(reports) and their periodic tasks (reminders, backups).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from huey import Huey, crontab

from server.tasks import runner


@dataclass(frozen=True)
class JobKind:
    name: str
    builder: str  # "module:function", imported when the job runs (keeps imports light)
    retries: int = 2
    retry_delay: int = 10  # seconds


@dataclass(frozen=True)
class Periodic:
    name: str
    schedule: Callable  # a huey crontab
    function: str  # "module:function", run in an app context
    # The slot claimed once across workers (runner.claim_slot): the minute by default; a daily
    # task claims the day, so a worker that picks a late duplicate up never runs it again.
    slot: str = "%Y%m%d%H%M"


JOB_KINDS = (
    JobKind("handover", "server.services.handover.build:run_job"),
    # A job that only reports progress and sleeps: the worker check and the queue tests.
    JobKind("probe", "server.tasks.probe:run_job", retries=1, retry_delay=1),
)

PERIODIC = (
    Periodic("jobs.reap_stale", crontab(minute="*/10"), "server.services.jobs:reap_stale"),
    # Hourly: files of jobs finished more than JOB_RETENTION_DAYS ago (job_retention.py).
    Periodic("jobs.prune", crontab(minute="17"), "server.services.job_retention:prune"),
    # Every minute: evaluate the reminder rules, queue what is new, send what is due.
    Periodic("reminders.tick", crontab(), "server.services.reminders.run:periodic"),
    # Daily at 02:30 China time: a backup, restore-checked and recorded (docs/backup.md).
    Periodic(
        "backups.daily",
        crontab(minute="30", hour="18"),
        "server.services.backup.run:periodic",
        slot="%Y%m%d",
    ),
)


def kinds() -> tuple[str, ...]:
    return tuple(kind.name for kind in JOB_KINDS)


def register(huey: Huey, app: Flask) -> dict:
    """Make every job kind and periodic task a Huey task of this instance; {kind: task}."""
    tasks = {}
    for kind in JOB_KINDS:
        tasks[kind.name] = huey.task(
            retries=kind.retries, retry_delay=kind.retry_delay, context=True, name=kind.name
        )(runner.job_task(app, kind))
    periodic_tasks = app.extensions.setdefault("huey_periodic", {})
    for periodic in PERIODIC:
        periodic_tasks[periodic.name] = huey.periodic_task(periodic.schedule, name=periodic.name)(
            runner.periodic_task(app, huey, periodic)
        )
    return tasks
