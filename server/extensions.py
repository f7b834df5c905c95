"""Unbound extensions; create_app binds them.

`api` (flask-smorest) and `migrate` (Flask-Migrate, hence alembic) are built on first use: the
project's own CLI commands run on an app without the HTTP API (see create_app), and a process that
never touches them never imports either library.
"""

from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy

from server.models.base import Base

db = SQLAlchemy(model_class=Base)
login_manager = LoginManager()
_built: dict = {}


def _api():
    from server.api_extension import ErrorShapeApi

    return ErrorShapeApi()


def _migrate():
    from flask_migrate import Migrate

    return Migrate(render_as_batch=True, compare_type=True)


_FACTORIES = {"api": _api, "migrate": _migrate}


def __getattr__(name: str):
    """`from server.extensions import api` (or migrate): the one instance, built the first time."""
    if name not in _FACTORIES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    if name not in _built:
        _built[name] = _FACTORIES[name]()
    return _built[name]
