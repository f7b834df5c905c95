"""Runs the app as a real server for live tests and benches.

    python -m tests.live_runner PORT

Configuration comes from the environment (DATABASE_URL, SECRET_KEY, PHOTO_STORE, ...) plus
XJ_LIVE_CONFIG, a JSON object of extra app config keys (e.g. fault injection); its
CLOCK_SHIFT_SECONDS moves the app's clock ahead (a test's "the next day", see shift_clock).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime  # noqa: F401  (shift_clock's code runs in base)

from werkzeug.serving import run_simple

from server import create_app
from server.config import Config


class LiveConfig(Config):
    def __init__(self) -> None:
        super().__init__()
        for key, value in json.loads(os.environ.get("XJ_LIVE_CONFIG", "{}")).items():
            setattr(self, key, value)


def shift_clock(seconds: float) -> None:
    """Run the app's clock (server.models.utcnow, every model default and service's "now")
    `seconds` ahead. The function's code is swapped, not the name, because modules hold it
    under their own names (`from server.models import utcnow`)."""
    from datetime import timedelta

    from server.models import base

    base._LIVE_CLOCK_SHIFT = timedelta(seconds=seconds)

    def shifted():
        return datetime.now(UTC) + _LIVE_CLOCK_SHIFT  # noqa: F821  (base's globals)

    base.utcnow.__code__ = shifted.__code__


def wsgi_app():
    """The app for another WSGI server (benches: `gunicorn 'tests.live_runner:wsgi_app()'`)."""
    return create_app(LiveConfig)


def main() -> None:
    port = int(sys.argv[1])
    shift = json.loads(os.environ.get("XJ_LIVE_CONFIG", "{}")).get("CLOCK_SHIFT_SECONDS")
    if shift:
        shift_clock(float(shift))
    app = create_app(LiveConfig)
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
