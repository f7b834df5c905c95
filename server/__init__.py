"""xunjian server: the Flask application factory."""
from flask import Flask

from server.config import Config


def create_app(config_class: type = Config) -> Flask:
    """Build the app: extensions, blueprints, error handlers, commands."""
    app = Flask(__name__, static_folder=None)
    app.config.from_object(config_class())
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
    return app
