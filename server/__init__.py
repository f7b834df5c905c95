"""xunjian server: the Flask application factory."""
from flask import Flask

from server.config import Config


def create_app(config_class: type = Config) -> Flask:
    """Build the app: extensions, blueprints, error handlers, commands."""
    app = Flask(__name__, static_folder=None)
    from server.strict_json import StrictJSONProvider

    app.json = StrictJSONProvider(app)  # standard JSON in and out (no NaN, no Infinity)
    app.config.from_object(config_class())
    if proxies := app.config.get("PROXY_FIX_X_FOR"):
        # Believe X-Forwarded-For only as far as the configured proxies in front wrote it.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies)
    from server import edge
    from server.setup import (
        register_blueprints,
        register_commands,
        register_errorhandlers,
        register_extensions,
    )

    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    edge.register(app)
    register_commands(app)
    _sweep_photo_store(app)
    return app


def _sweep_photo_store(app: Flask) -> None:
    """Drop the temporaries of photo uploads a crash cut off (the store never reads them)."""
    from server.services import photo_sweep

    root = app.config.get("PHOTO_STORE")
    if root:
        photo_sweep.forget(root)
        photo_sweep.sweep_if_due(root)
