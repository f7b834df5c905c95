"""Unbound extensions; create_app binds them."""

from flask_login import LoginManager
from flask_migrate import Migrate
from flask_smorest import Api
from flask_sqlalchemy import SQLAlchemy

from server import errors
from server.models.base import Base


class ErrorShapeApi(Api):
    """flask-smorest Api whose error responses use our one error shape, also in the OpenAPI
    document: the default and per-status error responses reference `Error` (errors.ErrorSchema)."""

    ERROR_SCHEMA = errors.ErrorSchema

    def init_app(self, app, *args, **kwargs):
        from server.api.out import computed2properties

        super().init_app(app, *args, **kwargs)
        self.ma_plugin.converter.add_attribute_function(computed2properties)

    def handle_http_exception(self, error):
        return errors.handle_http_exception(error)


db = SQLAlchemy(model_class=Base)
migrate = Migrate(render_as_batch=True, compare_type=True)
login_manager = LoginManager()
api = ErrorShapeApi()
