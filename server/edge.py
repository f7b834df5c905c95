"""The edge every request passes: body limits, input checks, security headers, honest methods."""

from __future__ import annotations

from flask import Flask, request
from werkzeug.exceptions import MethodNotAllowed


def register(app: Flask) -> None:
    """Install the edge; body limits first, so nothing reads a body before its limit is set."""
    from server import body_limits, input_guard, security_headers

    body_limits.install(app)
    input_guard.install(app)
    security_headers.install(app)
    app.after_request(_allow_on_405)


def _allow_on_405(response):
    """A 405 names the methods the URL does serve (RFC 9110 §15.5.6), also for TRACE."""
    error = request.routing_exception
    if (
        response.status_code == 405
        and isinstance(error, MethodNotAllowed)
        and error.valid_methods
        and "Allow" not in response.headers
    ):
        response.headers["Allow"] = ", ".join(sorted(error.valid_methods))
    return response
