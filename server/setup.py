"""The registration steps create_app runs, in order."""

from __future__ import annotations

from flask import Flask, g
from werkzeug.routing import IntegerConverter

from server import errors, security
from server.extensions import db, login_manager


def register_json(app: Flask) -> None:
    from server.strict_json import StrictJSONProvider

    app.json = StrictJSONProvider(app)  # standard JSON in and out (no NaN, no Infinity)


def register_observability(app: Flask) -> None:
    """Logging, the request id, the access line and HTTP metrics, /metrics (docs/observability.md).
    First of the request hooks: their after_request and teardown run last, after the commit."""
    from server import observability

    observability.install(app)


def register_proxy(app: Flask) -> None:
    """Believe X-Forwarded-For only as far as the configured proxies in front wrote it, and
    only from them (server/proxy.py)."""
    if proxies := app.config.get("PROXY_FIX_X_FOR"):
        from server.proxy import TrustedProxyFix

        allow = app.config.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
        app.wsgi_app = TrustedProxyFix(app.wsgi_app, proxies, allow)


def register_extensions(app: Flask, with_api: bool = True) -> None:
    from server import hooks, sqlite_pragmas

    sqlite_pragmas.install()
    db.init_app(app)
    if with_api:
        register_migrations(app)
    login_manager.init_app(app)
    security.install(app)  # first of the request hooks: the session is settled, then CSRF checked
    if with_api:
        from server.extensions import api

        api.init_app(app)
    hooks.install_all()  # ORM hooks and sync record types: process-wide, installed once
    from server import tasks

    tasks.init_app(app)  # the task queue (Huey) from TASK_QUEUE_URL


def register_migrations(app: Flask) -> None:
    from pathlib import Path

    from server.extensions import migrate

    migrate.init_app(app, db, directory=str(Path(__file__).resolve().parent.parent / "migrations"))


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: ids beyond a 32-bit INTEGER are a 404, never a database error."""

    def __init__(self, map, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, **kwargs)


def register_blueprints(app: Flask) -> None:
    app.url_map.converters["int"] = DatabaseIdConverter
    from server.api import API_BLUEPRINTS
    from server.api.base import refuse_undeclared_query
    from server.extensions import api
    from server.web import web

    for blueprint in API_BLUEPRINTS:
        api.register_blueprint(blueprint, url_prefix=f"/api/v1{blueprint.url_prefix or ''}")
    app.register_blueprint(web)
    app.before_request(refuse_undeclared_query)
    app.after_request(_commit_on_success)
    app.teardown_request(_discard_leftovers)


def _commit_on_success(response):
    """The request boundary: commit once when the view succeeded, else roll back.

    Services flush(), so constraint errors surface inside the view as 409/422;
    what is left for commit is the rare late failure.
    """
    if response.status_code < 400 or g.pop("keep_writes", False):  # e.g. a failed print job kept
        db.session.commit()
    else:
        db.session.rollback()
    return response


def _discard_leftovers(exc):
    if exc is not None:
        db.session.rollback()


def register_errorhandlers(app: Flask) -> None:
    errors.register(app)


def register_commands(app: Flask) -> None:
    from server.cli.commands import register

    register(app)


def register_edge(app: Flask) -> None:
    from server import edge

    edge.register(app)


def register_housekeeping(app: Flask) -> None:
    """Drop the temporaries of photo uploads a crash cut off (the store never reads them)."""
    from server.services.core import photo_sweep

    # A directory store, and the local spool of an S3 store (its temporary keys are swept by
    # the uploads: no request to S3 while the app is made).
    for root in (app.config.get("PHOTO_STORE"), app.config.get("S3_SPOOL_DIR")):
        if root and "://" not in str(root):
            photo_sweep.forget(root)
            photo_sweep.sweep_if_due(root)
