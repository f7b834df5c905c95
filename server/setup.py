"""The four registration steps create_app runs."""
from __future__ import annotations

import secrets

from flask import Flask, request, session
from flask_login import current_user
from werkzeug.routing import IntegerConverter

from server import errors
from server.extensions import api, db, login_manager, migrate

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
CSRF_HEADER = "X-CSRF-Token"


def register_extensions(app: Flask) -> None:
    from pathlib import Path

    from server import sqlite_pragmas
    from server.services import sessions, visit_targets
    from server.services.audit import install_hooks

    sqlite_pragmas.install()
    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))
    login_manager.init_app(app)
    sessions.install(app)  # first of the request hooks: the session is settled before CSRF
    api.init_app(app)
    install_hooks()
    visit_targets.install_hooks()


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: ids beyond a 32-bit INTEGER are a 404, never a database error."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    from server.api import API_BLUEPRINTS
    from server.web import web

    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(web)
    app.before_request(_check_csrf)
    app.after_request(_commit_on_success)
    app.teardown_request(_discard_leftovers)


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def _check_csrf():
    """Cookie-authenticated writes must echo the session's CSRF token in a header."""
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return None
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf_token", "")):
        raise errors.AppError(
            f"Missing or stale {CSRF_HEADER} header; read a fresh token from "
            "GET /api/v1/auth/me and send it with every write.", code_name="csrf")
    return None


def _commit_on_success(response):
    """The request boundary: commit once when the view succeeded, else roll back.

    Services flush(), so constraint errors surface inside the view as 409/422;
    what is left for commit is the rare late failure.
    """
    if response.status_code < 400:
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _discard_leftovers(exc):
    if exc is not None:
        db.session.rollback()


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)

    @login_manager.unauthorized_handler
    def unauthorized():
        raise errors.Unauthorized("Sign in first.")

    @login_manager.user_loader
    def load_user(token: str):
        """The cookies carry a server-side session's token, not a user id."""
        from server.services import sessions

        return sessions.load(token)


def register_commands(app: Flask) -> None:
    from server.cli import register

    register(app)
