"""The flask-smorest Api of the HTTP API (built on first use by server/extensions.py)."""

from flask_smorest import Api

from server import errors


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
