"""Observability: request ids and structured logs, Prometheus metrics, readiness (docs/observability.md)."""

from __future__ import annotations

from flask import Flask


def install(app: Flask) -> None:
    """The logging set-up, the request hooks (id, access line, HTTP metrics) and /metrics.

    Called by create_app before any other request hook: its after_request and teardown hooks
    then run last, once the request boundary has committed and the final status is known."""
    from server.observability import exposition, logs, request_hooks

    logs.configure(app.config.get("LOG_FORMAT"), app.config.get("LOG_LEVEL", "INFO"))
    logs.drop_flask_default_handler(app)
    request_hooks.install(app)
    exposition.install(app)
