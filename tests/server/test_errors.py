"""The error handlers answer in the one shape; the request boundary rolls back what failed."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server import create_app
from server.config import TestConfig
from server.extensions import db
from server.models import User


class ServingConfig(TestConfig):
    """As served (TESTING off): unexpected errors go to the catch-all 500 handler."""

    def __init__(self) -> None:
        super().__init__()
        self.TESTING = False


def _user(username: str) -> User:
    return User(username=username, display_name=username, role="viewer", password_hash="x")


@pytest.fixture
def serving(app):
    """Its own app with two failing views; in-memory SQLite or the test PostgreSQL database."""
    served = create_app(ServingConfig)

    @served.route("/boom/duplicate")
    def duplicate():
        db.session.add_all([_user("twin"), _user("twin")])
        db.session.flush()

    @served.route("/boom/unexpected")
    def unexpected():
        db.session.add(_user("half-written"))
        db.session.flush()
        raise RuntimeError("a bug")

    with served.app_context():
        db.create_all()
        try:
            yield served
        finally:
            db.session.remove()
            db.engine.dispose()


def _users() -> list[str]:
    return db.session.scalars(sa.select(User.username)).all()


def test_an_integrity_error_is_a_409_in_the_error_shape_and_nothing_is_kept(serving):
    answer = serving.test_client().get("/boom/duplicate")
    assert answer.status_code == 409
    assert answer.get_json()["error"]["code_name"] == "integrity"
    assert _users() == []


def test_an_unexpected_error_is_a_500_in_the_error_shape_and_nothing_is_kept(serving):
    answer = serving.test_client().get("/boom/unexpected")
    assert answer.status_code == 500
    error = answer.get_json()["error"]
    assert error["code_name"] == "internal" and "logged" in error["message"]
    assert _users() == []
