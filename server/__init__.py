"""xunjian server: the Flask application factory."""

from flask import Flask

from server.config import Config


def create_app(config_class: type = Config) -> Flask:
    """Build the app: each step is in server/setup.py."""
    from server import setup

    app = Flask(__name__, static_folder=None)
    setup.register_json(app)
    app.config.from_object(config_class())
    setup.register_proxy(app)
    setup.register_extensions(app)
    setup.register_blueprints(app)
    setup.register_errorhandlers(app)
    setup.register_edge(app)
    setup.register_commands(app)
    setup.register_housekeeping(app)
    return app
