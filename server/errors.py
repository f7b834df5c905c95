"""The one JSON error shape, the exceptions services raise, and the handlers."""

from __future__ import annotations

import logging

import marshmallow as ma
from flask import Flask, g, jsonify
from sqlalchemy.exc import IntegrityError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from server.observability.context import request_id

log = logging.getLogger(__name__)


class AppError(Exception):
    """A domain error with an HTTP status; services raise it, the edge renders it."""

    status_code = 400
    code_name = "bad_request"

    def __init__(
        self,
        message: str,
        errors: dict | None = None,
        code_name: str | None = None,
        headers: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.errors = errors
        self.headers = headers or {}  # sent with the answer, e.g. Retry-After on a 429
        if code_name:
            self.code_name = code_name


class NotFound(AppError):
    status_code = 404
    code_name = "not_found"


class TooLarge(AppError):
    """A request body or an uploaded file over its limit (the message names the limit)."""

    status_code = 413
    code_name = "too_large"


class Conflict(AppError):
    status_code = 409
    code_name = "conflict"


class Invalid(AppError):
    """Input that passed the schema but breaks a domain rule (422 with field errors)."""

    status_code = 422
    code_name = "invalid"


class PrinterUnreachable(AppError):
    """A label printer did not take the job (refused, timed out, CUPS said no): 502. The print
    job is kept (status failed) to retry, so the request boundary commits what the view wrote."""

    status_code = 502
    code_name = "printer_unreachable"
    keep_writes = True


class Unauthorized(AppError):
    status_code = 401
    code_name = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code_name = "forbidden"


class TooManyAttempts(AppError):
    """429; `retry_after` (seconds) becomes the Retry-After header."""

    status_code = 429
    code_name = "too_many_attempts"

    def __init__(self, message: str, retry_after: int | None = None, **kwargs):
        super().__init__(message, **kwargs)
        if retry_after is not None:
            self.headers.setdefault("Retry-After", str(max(1, int(retry_after))))


class BackupError(AppError):
    """A backup or restore that cannot go on (no key, wrong key, altered file, newer schema,
    a database that is not empty, a full disk); nothing partial was written."""

    status_code = 422
    code_name = "backup_error"


class ErrorDetail(ma.Schema):
    """The inside of every error answer (documentation only: error_body builds it)."""

    code = ma.fields.Integer(required=True, metadata={"description": "HTTP status"})
    status = ma.fields.String(required=True, metadata={"description": "HTTP status phrase"})
    message = ma.fields.String(
        required=True, metadata={"description": "what went wrong, how to fix it"}
    )
    code_name = ma.fields.String(
        required=True,
        metadata={"description": "stable machine code, e.g. not_found, csrf, too_many_attempts"},
    )
    errors = ma.fields.Dict(metadata={"description": "location -> field -> messages"})
    request_id = ma.fields.String(
        metadata={"description": "this request's X-Request-Id, to quote when reporting it"}
    )


class ErrorSchema(ma.Schema):
    """The one error shape, `{"error": {...}}`; the OpenAPI component `Error`."""

    error = ma.fields.Nested(ErrorDetail, required=True)


def error_body(
    status: int, message: str, errors: dict | None = None, code_name: str | None = None
) -> dict:
    """Build the single error payload used by every endpoint."""
    from http import HTTPStatus

    try:
        status_text = HTTPStatus(status).phrase
    except ValueError:
        status_text = "Error"
    body: dict = {"code": status, "status": status_text, "message": message}
    if code_name:
        body["code_name"] = code_name
    if errors:
        body["errors"] = errors
    if rid := request_id():  # the same id as the answer's X-Request-Id and its log lines
        body["request_id"] = rid
    return {"error": body}


def handle_http_exception(error: HTTPException):
    """Render werkzeug/webargs HTTP errors (including smorest's 422) in our shape."""
    data = getattr(error, "data", None) or {}
    errors = data.get("errors") or data.get("messages")
    message = data.get("message") or error.description or error.name
    if error.code == 422 and errors and not data.get("message"):
        message = "The request has invalid fields; see errors."
    code_name = data.get("code_name") or error.name.lower().replace(" ", "_")
    response = jsonify(error_body(error.code or 500, message, errors, code_name))
    response.status_code = error.code or 500
    for key, value in (data.get("headers") or {}).items():
        response.headers[key] = value
    return response


def handle_app_error(error: AppError):
    if getattr(error, "keep_writes", False):
        g.keep_writes = True  # read by the request boundary (server/setup.py)
    response = jsonify(error_body(error.status_code, error.message, error.errors, error.code_name))
    response.status_code = error.status_code
    response.headers.update(error.headers)
    return response


# Neither handler rolls back: the request boundary (server/setup.py) rolls back every answer of
# 400 or more, so what the failed request wrote is never committed.


def handle_integrity_error(error: IntegrityError):
    """A uniqueness race the services could not pre-check: 409, never a 500."""
    log.warning("integrity error: %s", error.orig)
    response = jsonify(
        error_body(
            409,
            "This change conflicts with existing data (a duplicate value?). Reload and try again.",
            code_name="integrity",
        )
    )
    response.status_code = 409
    return response


def handle_pool_timeout(error: PoolTimeout):
    """Every database connection stayed busy for DB_POOL_TIMEOUT s: 503, try again shortly."""
    log.warning("database pool exhausted: %s", error)
    response = jsonify(
        error_body(
            503,
            "The server is busy; nothing was saved. Try again in a few seconds.",
            code_name="busy",
        )
    )
    response.status_code = 503
    response.headers["Retry-After"] = "2"
    return response


def handle_unexpected(error: Exception):
    log.exception("unhandled error")
    response = jsonify(error_body(500, "Internal error; it has been logged.", code_name="internal"))
    response.status_code = 500
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    app.register_error_handler(PoolTimeout, handle_pool_timeout)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
