"""The request hooks: the request id (taken from a sane X-Request-Id, else made), answered as
X-Request-Id; one access line and the HTTP metrics per request, at its very end."""

from __future__ import annotations

import time

import sqlalchemy as sa
from flask import Flask, g, request, request_started

from server.observability import context, logs, metrics


def install(app: Flask) -> None:
    """The start as a signal: it comes before every before_request hook (body_limits may answer
    413 in the first), so even that answer has its id. after_request and teardown are registered
    before the request boundary's, so they run after its commit."""
    request_started.connect(_start, app, weak=False)
    app.after_request(_answer)
    app.teardown_request(_finish)


def _start(sender, **extra) -> None:
    g.request_id = rid = context.accept(request.headers.get(context.HEADER))
    g.request_began = time.perf_counter()
    context.REQUEST_ID.set(rid)
    metrics.IN_PROGRESS.inc()


def _answer(response):
    g.request_status = response.status_code
    if rid := g.get("request_id"):
        response.headers[context.HEADER] = rid
    return response


def _finish(exc) -> None:
    # Popped, not read: g belongs to the app context, which a test (or a CLI command) may keep
    # across requests; a later bare test_request_context must not count this one again.
    began = g.pop("request_began", None)
    if began is None:  # the request never started (request_started did not fire)
        return
    seconds = time.perf_counter() - began
    status = 500 if exc is not None else g.pop("request_status", 500)
    rule = request.url_rule.rule if request.url_rule is not None else None
    try:
        metrics.IN_PROGRESS.dec()
        metrics.request_done(rule, request.method, status, seconds)
        logs.access_line(
            {
                "method": request.method,
                "route": rule or metrics.UNMATCHED,
                "path": request.path,
                "status": status,
                "duration_ms": round(seconds * 1000, 1),
                "user_id": _user_id(),
                "remote_addr": request.remote_addr,
            }
        )
    finally:
        context.REQUEST_ID.set(None)


def _user_id() -> int | None:
    """The signed-in user if the request loaded one; never a query of its own (after the commit
    the user row is expired: reading user.id would SELECT it again, its identity does not)."""
    state = sa.inspect(g.get("_login_user"), raiseerr=False)  # Flask-Login's per-request cache
    identity = getattr(state, "identity", None)  # None for the anonymous user (not mapped)
    return identity[0] if identity else None
