"""Standard JSON only, both ways: requests with NaN/Infinity or absurd nesting are a 400, and
no answer ever carries NaN or Infinity (browsers' JSON.parse rejects them, for every reader).

Python's json module accepts `NaN`, `Infinity`, `1e999` (as inf) and recurses until the
interpreter's limit, raising RecursionError (a 500) on a body nested 10,000 deep. Every JSON
body is read through `loads` here, once per request (`request_body`): by the edge's text check
(server/input_guard.py) and by the webargs parser behind every `@blp.arguments` (StrictParser,
installed before the blueprints are built); Flask's request.get_json (the app's JSON provider)
uses the same `loads`.
"""

from __future__ import annotations

import json
import math

from flask.json.provider import DefaultJSONProvider
from webargs import core
from webargs.flaskparser import FlaskParser, is_json_request

from server.errors import AppError


def _no_constant(name: str):
    raise ValueError(f"{name} is not a JSON number; send finite numbers only")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} does not fit a double; send finite numbers only")
    return value


def loads(data: str | bytes):
    """json.loads that refuses non-finite numbers; every failure is a JSONDecodeError (with a
    non-empty doc: webargs takes an empty one for "no body")."""
    if isinstance(data, bytes):
        try:
            data = data.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise json.JSONDecodeError(f"not UTF-8 ({exc.reason})", "<bytes>", 0) from None
    try:
        return json.loads(data, parse_constant=_no_constant, parse_float=_finite_float)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        raise json.JSONDecodeError("nested too deeply", data, 0) from None
    except ValueError as exc:  # our refusals, and integers of more than 4,300 digits
        raise json.JSONDecodeError(str(exc), data, 0) from None


_BODY = "xunjian.json_body"  # request.environ: (value, None) or (None, JSONDecodeError)


def request_body(req):
    """The request's JSON body, parsed once by `loads` and kept for the rest of the request;
    raises the same JSONDecodeError each time it is asked for a body that is not standard JSON."""
    if _BODY not in req.environ:
        try:
            req.environ[_BODY] = (loads(req.get_data(cache=True)), None)
        except json.JSONDecodeError as exc:
            req.environ[_BODY] = (None, exc)
    value, error = req.environ[_BODY]
    if error is not None:
        raise error
    return value


def _finite(value):
    """The value with every non-finite float replaced by null (old rows may hold them)."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


class StrictJSONProvider(DefaultJSONProvider):
    """The app's JSON: strict loads; dumps writes null where a float is NaN or infinite."""

    def loads(self, s, **kwargs):
        return loads(s)

    def dumps(self, obj, **kwargs):
        try:
            return super().dumps(obj, allow_nan=False, **kwargs)
        except ValueError:  # only on a non-finite float: the common case pays nothing
            return super().dumps(_finite(obj), allow_nan=False, **kwargs)


class BadJSON(AppError):
    status_code = 400
    code_name = "invalid_json"


class StrictParser(FlaskParser):
    """The webargs parser of every API view, reading bodies with the strict loads. Query
    parameters follow their schema's `unknown` (api/base.py QueryArgs: refused), not webargs'
    default of silently dropping the unknown ones."""

    DEFAULT_UNKNOWN_BY_LOCATION = {
        **FlaskParser.DEFAULT_UNKNOWN_BY_LOCATION,
        "query": None,
        "querystring": None,
    }

    def _raw_load_json(self, req):
        if not is_json_request(req):
            return core.missing
        return request_body(req)

    def _handle_invalid_json_error(self, error, req, *args, **kwargs):
        raise BadJSON(
            f"The body is not standard JSON ({error.msg}); nothing was read or stored. "
            "Send standard JSON (RFC 8259) with finite numbers, not nested hundreds deep.",
            errors={"json": ["Invalid JSON body.", error.msg]},
        )


def install() -> None:
    """Make every flask-smorest blueprint built after this use the strict parser."""
    import flask_smorest

    if not isinstance(flask_smorest.Blueprint.ARGUMENTS_PARSER, StrictParser):
        flask_smorest.Blueprint.ARGUMENTS_PARSER = StrictParser()
