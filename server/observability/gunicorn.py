"""Server hooks for a gunicorn config (deploy/gunicorn.conf.py), multiprocess metrics:

    from server.observability.gunicorn import child_exit, on_starting  # noqa: F401

on_starting (the master, once): empty PROMETHEUS_MULTIPROC_DIR of a previous run's files.
child_exit (the master, each worker that ended): drop that worker's live gauges."""

from __future__ import annotations

import glob
import os

MULTIPROC_ENV = (
    "PROMETHEUS_MULTIPROC_DIR"  # metrics.py reads it too; not imported: no metrics in the master
)


def on_starting(server) -> None:
    """Wipe the folder: values a previous run left would be added to this run's."""
    folder = os.environ.get(MULTIPROC_ENV)
    if not folder:
        return
    os.makedirs(folder, exist_ok=True)
    for path in glob.glob(os.path.join(folder, "*.db")):
        os.unlink(path)


def child_exit(server, worker) -> None:
    """A worker process ended: its in-progress gauge no longer counts (counters are kept)."""
    if os.environ.get(MULTIPROC_ENV):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
