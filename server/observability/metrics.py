"""The Prometheus metrics this process counts (prometheus-client). Under gunicorn set
PROMETHEUS_MULTIPROC_DIR: each worker process writes its values to files there and /metrics adds
them up (gunicorn.py marks dead workers); without it they live in this process.

A leaf: services call the small functions below and import nothing else from here."""

from __future__ import annotations

import os
from collections import Counter as Tally

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def multiprocess_dir() -> str | None:
    return os.environ.get(MULTIPROC_ENV) or None


if _dir := multiprocess_dir():  # before prometheus_client reads it: the files need their folder
    try:
        os.makedirs(_dir, exist_ok=True)
    except OSError as exc:
        raise RuntimeError(f"{MULTIPROC_ENV}={_dir!r} cannot be created: {exc}") from None
    if not os.access(_dir, os.W_OK):
        raise RuntimeError(f"{MULTIPROC_ENV}={_dir!r} is not writable by this process")

from prometheus_client import Counter, Gauge, Histogram  # noqa: E402  (after the folder check)

METHODS = frozenset(("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"))
UNMATCHED = "<unmatched>"  # 404s of no route: the raw path would make a series per typo
# Seconds; a one-record push is ~10 ms, a 15 MiB photo over a slow line a minute.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)

REQUESTS = Counter("xunjian_http_requests", "HTTP requests answered", ("route", "method", "status"))
LATENCY = Histogram(
    "xunjian_http_request_duration_seconds",
    "Time from the request's start to its teardown (after the commit)",
    ("route", "method"),
    buckets=LATENCY_BUCKETS,
)
IN_PROGRESS = Gauge(
    "xunjian_http_requests_in_progress",
    "Requests being served now",
    multiprocess_mode="livesum",  # only live processes: gunicorn.child_exit marks the dead
)
SYNC_RECORDS = Counter(
    "xunjian_sync_records",
    "Pushed records by record type and answer (created, duplicate, conflict, rejected)",
    ("record_type", "status"),
)
PHOTO_UPLOADS = Counter(
    "xunjian_photo_uploads", "Photo uploads by result (created, already_stored)", ("result",)
)
PHOTO_BYTES = Counter("xunjian_photo_stored_bytes", "Bytes of new photos stored")


def request_done(route: str | None, method: str, status: int, seconds: float) -> None:
    route = route or UNMATCHED
    method = method if method in METHODS else "OTHER"
    REQUESTS.labels(route, method, str(status)).inc()
    LATENCY.labels(route, method).observe(seconds)


# A push's answers count once its transaction commits: a batch rolled back was not answered.
_PENDING = "xunjian_metrics_sync"


def sync_answers(session, pairs) -> None:
    """Count a push's answers, (record type or None, status) per record, when `session` commits."""
    session.info.setdefault(_PENDING, []).append(Tally(pairs))


def _after_commit(session) -> None:
    for tally in session.info.pop(_PENDING, ()):
        for (record_type, status), n in tally.items():
            SYNC_RECORDS.labels(record_type or "unknown", status).inc(n)


def _after_rollback(session) -> None:
    session.info.pop(_PENDING, None)


def install_commit_hook() -> None:
    """Process-wide, once (server/hooks.py)."""
    import sqlalchemy as sa
    from sqlalchemy.orm import Session

    if not sa.event.contains(Session, "after_commit", _after_commit):
        sa.event.listen(Session, "after_commit", _after_commit)
        sa.event.listen(Session, "after_rollback", _after_rollback)


def photo_stored(size: int, created: bool) -> None:
    PHOTO_UPLOADS.labels("created" if created else "already_stored").inc()
    if created:
        PHOTO_BYTES.inc(size)
