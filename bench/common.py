"""What every bench shares: the app on a given database, with the test settings (fast
password hashing, memory queue) but not in testing mode."""

from __future__ import annotations

import logging


def make_app(url: str):
    from server import create_app
    from server.config import TestConfig, engine_options

    class BenchConfig(TestConfig):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url
            self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(url)
            self.TESTING = False

    app = create_app(BenchConfig)
    # A bench prints its own figures: one JSON access line per timed call would bury them.
    logging.getLogger("xunjian.access").setLevel(logging.WARNING)
    return app
