"""What every bench shares: the app on a given database, with the test settings (fast
password hashing, memory queue) but not in testing mode."""

from __future__ import annotations


def make_app(url: str):
    from server import create_app
    from server.config import TestConfig

    class BenchConfig(TestConfig):
        def __init__(self):
            super().__init__()
            self.SQLALCHEMY_DATABASE_URI = url
            self.TESTING = False

    return create_app(BenchConfig)
