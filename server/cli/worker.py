"""`xunjian worker` (the task-queue consumer) and `xunjian serve` (web server and worker
together, stopped together: what `make run` starts)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from server.observability import logs


@click.command("worker")
@click.option("--workers", default=2, show_default=True, help="threads running jobs")
@click.option("--no-periodic", is_flag=True, help="do not schedule the periodic tasks")
@with_appcontext
def worker_command(workers: int, no_periodic: bool) -> None:
    """Run background jobs from the task queue (TASK_QUEUE_URL) until Ctrl-C."""
    # The app's log format (LOG_FORMAT), each job's lines with its job id; Huey's own at INFO.
    logs.configure(current_app.config.get("LOG_FORMAT"), current_app.config["LOG_LEVEL"], ("huey",))
    check_stores()
    huey = current_app.extensions["huey"]
    click.echo(f"worker: queue {_safe_url(current_app.config['TASK_QUEUE_URL'])}", err=True)
    consumer = huey.create_consumer(
        workers=workers, worker_type="thread", periodic=not no_periodic, flush_locks=False
    )
    consumer.run()


def check_stores() -> None:
    """Refuse to start on a photo store that cannot be used (unreachable S3, wrong keys, no
    bucket, a directory not writable): a clear error now rather than 503s later."""
    from server.services.core import photo_store

    try:
        photo_store.check_stores(current_app)
    except photo_store.StoreUnavailable as exc:
        raise click.ClickException(exc.message) from None


def _safe_url(url: str) -> str:
    """The queue URL without a password, for the log."""
    if "@" in url:
        scheme, _, rest = url.partition("://")
        return f"{scheme}://***@{rest.rpartition('@')[2]}"
    return url


def _xunjian(*args: str) -> list[str]:
    return [sys.executable, "-m", "server.cli", *args]


@click.command("serve", context_settings={"ignore_unknown_options": True})
@click.argument("run_args", nargs=-1, type=click.UNPROCESSED)
@with_appcontext
def serve_command(run_args: tuple[str, ...]) -> None:
    """The web server (`xunjian run RUN_ARGS...`) and one worker; Ctrl-C stops both, and
    either one ending stops the other."""
    check_stores()
    stopping = []
    # Ctrl-C, or a SIGTERM from a service manager (explicit: a background shell ignores SIGINT).
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stopping.append(True))
    children = [
        subprocess.Popen(_xunjian("worker"), start_new_session=True),
        subprocess.Popen(_xunjian("run", *run_args), start_new_session=True),
    ]
    status = 0
    try:
        while not stopping and all(child.poll() is None for child in children):
            time.sleep(0.3)
        status = next((c.returncode for c in children if c.returncode is not None), 0)
    finally:
        _stop(children)
    sys.exit(status)


def _stop(children: list[subprocess.Popen]) -> None:
    """The worker SIGINT (Huey's graceful stop: the running task finishes), the web server
    SIGTERM (a child of a background shell ignores SIGINT); SIGKILL after 10 s."""
    for child, signum in zip(children, (signal.SIGINT, signal.SIGTERM)):
        if child.poll() is None:
            os.killpg(child.pid, signum)
    deadline = time.monotonic() + 10
    for child in children:
        try:
            child.wait(max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(child.pid, signal.SIGKILL)
            child.wait()


@click.group("jobs")
def jobs_group() -> None:
    """Background jobs' rows and files."""


@jobs_group.command("prune")
@with_appcontext
def prune_command() -> None:
    """Delete the files of jobs finished more than JOB_RETENTION_DAYS ago (for cron-less
    installs; the worker does it hourly). The rows stay, marked expired."""
    from server.extensions import db
    from server.services import job_retention

    expired = job_retention.prune()
    db.session.commit()
    days = current_app.config["JOB_RETENTION_DAYS"]
    click.echo(f"{len(expired)} job(s) expired (older than {days} days): {expired}")
