"""Password guessing meets a brake: 429 after repeated failures, per account and per address."""
from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.models import LoginFailure
from tests.conftest import PASSWORD

LOGIN = "/api/v1/auth/login"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(LOGIN, json={"username": username, "password": password},
                       environ_base={"REMOTE_ADDR": address})


def failures(db) -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(LoginFailure))


def test_five_failures_lock_the_account_even_for_the_right_password(client, factory, db):
    user = factory.user("engineer")
    for n in range(5):
        assert attempt(client, user.username, f"wrong-{n}").status_code == 401
    assert failures(db) == 5  # remembered although each answer was an error
    locked = attempt(client, user.username, PASSWORD)
    assert locked.status_code == 429
    error = locked.get_json()["error"]
    assert error["code_name"] == "too_many_attempts" and "minute" in error["message"]
    assert "username" in error["errors"]["json"]
    other = factory.user("engineer")
    assert attempt(client, other.username, PASSWORD).status_code == 200  # others unaffected


def test_the_lock_ends_with_the_window(client, factory, db):
    user = factory.user("engineer")
    for n in range(5):
        attempt(client, user.username, f"wrong-{n}")
    for failure in db.session.scalars(sa.select(LoginFailure)):
        failure.at -= timedelta(minutes=16)
    db.session.commit()
    assert attempt(client, user.username, PASSWORD).status_code == 200


def test_a_success_forgets_the_accounts_failures(app, factory, db):
    user = factory.user("engineer")
    for n in range(4):
        attempt(app.test_client(), user.username, f"wrong-{n}")
    assert attempt(app.test_client(), user.username, PASSWORD).status_code == 200
    assert failures(db) == 0
    for n in range(4):
        assert attempt(app.test_client(), user.username, f"again-{n}").status_code == 401
    assert attempt(app.test_client(), user.username, PASSWORD).status_code == 200


def test_one_address_guessing_many_accounts_is_stopped(client, factory, app):
    app.config["LOGIN_FAILURES_PER_ADDRESS"] = 6
    try:
        for n in range(6):
            assert attempt(client, f"nobody{n}", "guess", address="10.9.9.9").status_code == 401
        user = factory.user("engineer")
        assert attempt(client, user.username, PASSWORD, address="10.9.9.9").status_code == 429
        assert attempt(app.test_client(), user.username, PASSWORD, address="10.0.0.2").status_code == 200
    finally:
        app.config.pop("LOGIN_FAILURES_PER_ADDRESS")


@pytest.mark.parametrize("typed", ["ENGINEER-X", " engineer-x "])
def test_case_and_spaces_do_not_dodge_the_count(client, factory, typed):
    factory.user("engineer", username="engineer-x")
    for n in range(5):
        attempt(client, typed if n % 2 else "engineer-x", f"wrong-{n}")
    assert attempt(client, "engineer-x", PASSWORD).status_code == 429
