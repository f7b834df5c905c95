"""GET /metrics in the Prometheus text format, not public: with METRICS_TOKEN set only with
`Authorization: Bearer <token>`, without it only from this machine and not through a proxy.

Besides the counters of metrics.py (every process's, in multiprocess mode) a scrape reads the
figures that live outside the web processes: the task queue's depth, the jobs by status and
the reminder deliveries (the worker sends them, maybe on another machine: the rows are the
truth)."""

from __future__ import annotations

import hmac
import logging

import sqlalchemy as sa
from flask import Flask, Response, current_app, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    generate_latest,
    multiprocess,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from server.errors import Forbidden, Unauthorized
from server.observability import metrics

log = logging.getLogger(__name__)
LOOPBACK = frozenset(("127.0.0.1", "::1", "::ffff:127.0.0.1"))
PROXY_HEADERS = ("X-Forwarded-For", "X-Real-IP", "Forwarded")


def install(app: Flask) -> None:
    app.add_url_rule("/metrics", "metrics", scrape, methods=["GET"])


def allowed() -> None:
    """401/403 unless the scraper may read the metrics (see the module's docstring)."""
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        if not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
            raise Unauthorized("The metrics need 'Authorization: Bearer <METRICS_TOKEN>'.")
        return
    if request.remote_addr not in LOOPBACK or any(h in request.headers for h in PROXY_HEADERS):
        raise Forbidden(
            "The metrics are served only to this machine (set METRICS_TOKEN to scrape them "
            "from elsewhere)."
        )


def scrape():
    """The metrics of every process, then the queue's, the jobs' and the reminders' figures."""
    allowed()
    if metrics.multiprocess_dir():
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    live = CollectorRegistry()
    live.register(LiveFigures())
    return Response(body + generate_latest(live), content_type=CONTENT_TYPE_LATEST)


class LiveFigures:
    """Read at each scrape; a source that fails is reported as down, never a failed scrape."""

    def collect(self):
        up = GaugeMetricFamily(
            "xunjian_metrics_source_up", "Whether a scrape-time source answered", labels=["source"]
        )
        for name, read in (("task_queue", _queue), ("database", _database)):
            try:
                families = list(read())
            except Exception as exc:  # the queue or the database is down: say so, go on
                log.warning("metrics source %s failed: %s", name, exc)
                _rollback()
                up.add_metric([name], 0)
                continue
            up.add_metric([name], 1)
            yield from families
        yield up

    def describe(self):
        return []


def _queue():
    huey = current_app.extensions["huey"]
    pending = GaugeMetricFamily("xunjian_task_queue_pending", "Tasks waiting in the task queue")
    pending.add_metric([], huey.pending_count())
    scheduled = GaugeMetricFamily(
        "xunjian_task_queue_scheduled", "Tasks scheduled for later (retries, delays)"
    )
    scheduled.add_metric([], huey.scheduled_count())
    return pending, scheduled


def _database():
    from server.extensions import db
    from server.models import Job
    from server.models.reminders import ReminderAttempt, ReminderChannel, ReminderDelivery

    jobs = GaugeMetricFamily("xunjian_jobs", "Background jobs by status", labels=["status"])
    for status, n in db.session.execute(
        sa.select(Job.status, sa.func.count()).group_by(Job.status)
    ):
        jobs.add_metric([status], n)
    deliveries = GaugeMetricFamily(
        "xunjian_reminder_deliveries",
        "Reminder deliveries by channel kind and state (queued, sent, failed, dropped)",
        labels=["channel", "state"],
    )
    joined = sa.select(ReminderChannel.kind, ReminderDelivery.state, sa.func.count()).join(
        ReminderChannel, ReminderDelivery.channel_id == ReminderChannel.id
    )
    for kind, state, n in db.session.execute(
        joined.group_by(ReminderChannel.kind, ReminderDelivery.state)
    ):
        deliveries.add_metric([kind, state], n)
    attempts = CounterMetricFamily(
        "xunjian_reminder_attempts",
        "Reminder sending attempts by channel kind and result (ok, error)",
        labels=["channel", "result"],
    )
    tried = (
        sa.select(ReminderChannel.kind, ReminderAttempt.ok, sa.func.count())
        .join(ReminderDelivery, ReminderAttempt.delivery_id == ReminderDelivery.id)
        .join(ReminderChannel, ReminderDelivery.channel_id == ReminderChannel.id)
        .group_by(ReminderChannel.kind, ReminderAttempt.ok)
    )
    for kind, ok, n in db.session.execute(tried):
        attempts.add_metric([kind, "ok" if ok else "error"], n)
    return jobs, deliveries, attempts


def _rollback() -> None:
    from server.extensions import db

    try:
        db.session.rollback()
    except Exception:  # the connection is gone; the request's teardown drops the session
        pass
