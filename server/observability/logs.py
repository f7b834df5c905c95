"""Log lines: JSON (production) or readable text (development), each with the request id or
the job id it was written under; one handler on the root logger, installed once per process."""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime

from server.observability.context import JOB_ID, REQUEST_ID

FORMATS = ("json", "text")
# Loggers of this project: the app's modules (server.*, the Flask app's own logger is "server"),
# the task runner (xunjian.tasks) and the access log (xunjian.access). Third parties stay at
# WARNING on the root logger; the worker adds Huey's consumer (INFO: which task ran).
OWN_LOGGERS = ("server", "xunjian")


class ContextFilter(logging.Filter):
    """Stamp every record reaching the handler with the request id and job id of its context."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = REQUEST_ID.get()
        record.job_id = JOB_ID.get()
        return True


def _utc_z(created: float) -> str:
    """2026-12-03T18:40:01.123Z"""
    moment = datetime.fromtimestamp(created, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object per line: ts, level, logger, msg, request_id/job_id, the record's
    `fields` (the access line's method, route, status, ...) and exc when there is one."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "ts": _utc_z(record.created),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
        }
        if (rid := getattr(record, "request_id", None)) is not None:
            line["request_id"] = rid
        if (job := getattr(record, "job_id", None)) is not None:
            line["job_id"] = job
        line.update(getattr(record, "fields", None) or {})
        if record.exc_info:
            line["exc"] = self.formatException(record.exc_info)
        elif record.stack_info:
            line["stack"] = record.stack_info
        return json.dumps(line, ensure_ascii=False, default=str)


class TextFormatter(logging.Formatter):
    """`2026-12-03 18:40:01,123 INFO server.errors [req 1f3a…] message` for a terminal."""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s%(context)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        rid, job = getattr(record, "request_id", None), getattr(record, "job_id", None)
        record.context = (f" [req {rid}]" if rid else "") + (f" [job {job}]" if job else "")
        return super().format(record)


class StderrHandler(logging.StreamHandler):
    """Writes to the sys.stderr of the moment (test runners swap it), never a stale stream."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


def auto_format() -> str:
    """Unset LOG_FORMAT: readable on a terminal (development), JSON otherwise (a service)."""
    return "text" if sys.stderr.isatty() else "json"


def make_handler(fmt: str, stream=None) -> logging.Handler:
    """A handler in that format with the context filter (stream: stderr of the moment)."""
    if fmt not in FORMATS:
        raise ValueError(f"LOG_FORMAT must be one of {', '.join(FORMATS)}, not {fmt!r}")
    handler = logging.StreamHandler(stream) if stream is not None else StderrHandler()
    handler.setFormatter(JsonFormatter() if fmt == "json" else TextFormatter())
    handler.addFilter(ContextFilter())
    handler.xunjian = True  # ours: configure() replaces it instead of adding another
    return handler


def configure(fmt: str | None = None, level: str = "INFO", extra_loggers: tuple = ()) -> None:
    """Install (or replace) the one root handler; idempotent, tests build many apps."""
    handler = make_handler(fmt or auto_format())
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, "xunjian", False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    for name in (*OWN_LOGGERS, *extra_loggers):
        logging.getLogger(name).setLevel(level.upper())
    # The development server's own request line: the access line below replaces it.
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _DevServerRequestLine) for f in werkzeug.filters):
        werkzeug.addFilter(_DevServerRequestLine())


class _DevServerRequestLine(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and " - - [" in str(record.msg))


def drop_flask_default_handler(app) -> None:
    """Flask's own stderr handler on app.logger would print its lines a second time."""
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)


ACCESS = logging.getLogger("xunjian.access")


def access_line(fields: dict) -> None:
    """The one line per request: method, route, path, status, duration, user, request id."""
    if ACCESS.isEnabledFor(logging.INFO):
        ACCESS.info(
            "%s %s %s %.1fms user=%s",
            fields["method"],
            fields["path"],
            fields["status"],
            fields["duration_ms"],
            fields["user_id"],
            extra={"fields": fields},
        )
