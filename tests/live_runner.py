"""Runs the app as a real server for live tests and benches.

    python -m tests.live_runner PORT

Configuration comes from the environment (DATABASE_URL, SECRET_KEY, PHOTO_STORE, ...) plus
XJ_LIVE_CONFIG, a JSON object of extra app config keys (e.g. fault injection).
"""

from __future__ import annotations

import json
import os
import sys

from werkzeug.serving import run_simple

from server import create_app
from server.config import Config


class LiveConfig(Config):
    def __init__(self) -> None:
        super().__init__()
        for key, value in json.loads(os.environ.get("XJ_LIVE_CONFIG", "{}")).items():
            setattr(self, key, value)


def wsgi_app():
    """The app for another WSGI server (benches: `gunicorn 'tests.live_runner:wsgi_app()'`)."""
    return create_app(LiveConfig)


def main() -> None:
    port = int(sys.argv[1])
    app = create_app(LiveConfig)
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
