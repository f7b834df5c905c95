"""The one JSON error shape, the exceptions services raise, and the handlers."""
from __future__ import annotations

import logging

from flask import Flask, jsonify
from sqlalchemy.exc import IntegrityError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


class AppError(Exception):
    """A domain error with an HTTP status; services raise it, the edge renders it."""

    status_code = 400
    code_name = "bad_request"

    def __init__(self, message: str, errors: dict | None = None, code_name: str | None = None):
        super().__init__(message)
        self.message = message
        self.errors = errors
        if code_name:
            self.code_name = code_name


class NotFound(AppError):
    status_code = 404
    code_name = "not_found"


class Conflict(AppError):
    status_code = 409
    code_name = "conflict"


class Invalid(AppError):
    """Input that passed the schema but breaks a domain rule (422 with field errors)."""

    status_code = 422
    code_name = "invalid"


class Unauthorized(AppError):
    status_code = 401
    code_name = "unauthorized"


class Forbidden(AppError):
    status_code = 403
    code_name = "forbidden"


class TooManyAttempts(AppError):
    """Refused for a while; the answer's Retry-After header says how many seconds."""

    status_code = 429
    code_name = "too_many_attempts"

    def __init__(self, message: str, retry_after: int, errors: dict | None = None):
        super().__init__(message, errors)
        self.headers = {"Retry-After": str(max(1, int(retry_after)))}


def error_body(status: int, message: str, errors: dict | None = None,
               code_name: str | None = None) -> dict:
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
    response = jsonify(error_body(error.status_code, error.message, error.errors, error.code_name))
    response.status_code = error.status_code
    response.headers.update(getattr(error, "headers", None) or {})
    return response


def handle_integrity_error(error: IntegrityError):
    """A uniqueness race the services could not pre-check: 409, never a 500."""
    from server.extensions import db

    db.session.rollback()
    log.warning("integrity error: %s", error.orig)
    response = jsonify(error_body(409, "This change conflicts with existing data "
                                       "(a duplicate value?). Reload and try again.",
                                  code_name="integrity"))
    response.status_code = 409
    return response


def handle_unexpected(error: Exception):
    from server.extensions import db

    db.session.rollback()
    log.exception("unhandled error")
    response = jsonify(error_body(500, "Internal error; it has been logged.", code_name="internal"))
    response.status_code = 500
    return response


def register(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(AppError, handle_app_error)
    app.register_error_handler(IntegrityError, handle_integrity_error)
    if not app.testing:
        app.register_error_handler(Exception, handle_unexpected)
