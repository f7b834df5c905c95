"""xunjian server: the Flask application factory."""

from flask import Flask

from server.config import Config


def create_app(config_class: type = Config, with_api: bool = True) -> Flask:
    """Build the app: each step is in server/setup.py.

    with_api=False leaves out what only HTTP requests and `flask db` use: the API blueprints,
    their schemas, the OpenAPI document and the migrations. The project's CLI commands (labels,
    seed, import, ...) run on that app (server/cli/__init__.py); everything else gets the whole one.
    """
    from server import setup

    app = Flask(__name__, static_folder=None)
    setup.register_json(app)
    app.config.from_object(config_class())
    setup.register_observability(app)
    setup.register_proxy(app)
    setup.register_extensions(app, with_api)
    if with_api:
        setup.register_blueprints(app)
    setup.register_errorhandlers(app)
    setup.register_edge(app)
    setup.register_commands(app)
    setup.register_housekeeping(app)
    return app
