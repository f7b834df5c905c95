"""Password guessing meets a brake: 429 with Retry-After after repeated failures for an account,
or for many accounts from one address; X-Forwarded-For only behind a configured proxy."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.models import LoginFailure
from tests.conftest import PASSWORD

LOGIN = "/api/v1/auth/login"


def attempt(client, username, password, address="10.0.0.1"):
    return client.post(
        LOGIN,
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


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


def test_a_locked_account_is_told_how_long_to_wait_in_retry_after(client, factory):
    user = factory.user("engineer")
    for n in range(5):
        attempt(client, user.username, f"wrong-{n}")
    locked = attempt(client, user.username, PASSWORD)
    assert locked.status_code == 429
    assert 14 * 60 < int(locked.headers["Retry-After"]) <= 15 * 60


def test_many_accounts_failing_from_one_address_stop_that_address(client, factory, app, db):
    for n in range(10):  # LOGIN_ACCOUNTS_PER_ADDRESS different accounts: someone spraying
        assert attempt(client, f"nobody{n}", "guess", address="10.9.9.9").status_code == 401
    user = factory.user("engineer")
    stopped = attempt(client, user.username, PASSWORD, address="10.9.9.9")
    assert (
        stopped.status_code == 429 and "network address" in stopped.get_json()["error"]["message"]
    )
    assert 4 * 60 < int(stopped.headers["Retry-After"]) <= 5 * 60  # the address window is shorter
    assert (
        attempt(app.test_client(), user.username, PASSWORD, address="10.0.0.2").status_code == 200
    )
    for failure in db.session.scalars(sa.select(LoginFailure)):
        failure.at -= timedelta(minutes=6)
    db.session.commit()
    assert (
        attempt(app.test_client(), user.username, PASSWORD, address="10.9.9.9").status_code == 200
    )


def test_colleagues_typos_behind_one_address_do_not_lock_the_office(app, factory):
    """A county office behind one NAT address: six people fail five times each (30 failures);
    their own accounts wait, the seventh person still signs in."""
    office = "10.7.7.7"
    colleagues = [factory.user("engineer") for _ in range(6)]
    for user in colleagues:
        for n in range(5):
            assert attempt(app.test_client(), user.username, f"typo-{n}", office).status_code == 401
    assert attempt(app.test_client(), colleagues[0].username, PASSWORD, office).status_code == 429
    seventh = factory.user("engineer")
    assert attempt(app.test_client(), seventh.username, PASSWORD, office).status_code == 200


def test_forwarded_for_is_not_believed_without_a_configured_proxy(client, db):
    for n in range(3):
        client.post(
            LOGIN,
            json={"username": "nobody", "password": "guess"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            environ_base={"REMOTE_ADDR": "10.1.1.1"},
        )
    assert set(db.session.scalars(sa.select(LoginFailure.address))) == {"10.1.1.1"}


def test_a_configured_proxy_count_believes_forwarded_for(app, monkeypatch):
    """PROXY_FIX_X_FOR=1 (one proxy in front): the client address is the one it forwarded."""
    from server import create_app
    from server.config import TestConfig
    from server.extensions import db

    monkeypatch.setenv("PROXY_FIX_X_FOR", "1")
    behind_proxy = create_app(TestConfig)
    with behind_proxy.app_context():
        db.create_all()  # its own in-memory SQLite; the test database's tables when it is PostgreSQL
        try:
            behind_proxy.test_client().post(
                LOGIN,
                json={"username": "nobody", "password": "guess"},
                headers={"X-Forwarded-For": "203.0.113.7"},
                environ_base={"REMOTE_ADDR": "127.0.0.1"},
            )
            assert db.session.scalars(sa.select(LoginFailure.address)).all() == ["203.0.113.7"]
        finally:
            db.session.remove()
            db.engine.dispose()


def test_an_unknown_username_costs_a_password_hash_too(client, factory, monkeypatch, app, db):
    """The time an answer takes must not tell which usernames exist (or are disabled)."""
    from server.models import users as user_models

    checked = []
    real = user_models.check_password_hash
    monkeypatch.setattr(
        user_models,
        "check_password_hash",
        lambda hashed, password: checked.append(hashed) or real(hashed, password),
    )
    assert attempt(client, "nobody-at-all", "guess").status_code == 401
    assert len(checked) == 1 and checked[0].startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    disabled = factory.user("engineer")
    disabled.active = False
    db.session.commit()
    assert attempt(client, disabled.username, PASSWORD).status_code == 401
    assert len(checked) == 2 and checked[1] == disabled.password_hash


@pytest.mark.parametrize("typed", ["ENGINEER-X", " engineer-x "])
def test_case_and_spaces_do_not_dodge_the_count(client, factory, typed):
    factory.user("engineer", username="engineer-x")
    for n in range(5):
        attempt(client, typed if n % 2 else "engineer-x", f"wrong-{n}")
    assert attempt(client, "engineer-x", PASSWORD).status_code == 429


@pytest.mark.db
def test_a_hash_of_an_older_method_is_replaced_at_the_next_sign_in(client, factory, app, db):
    user = factory.user("engineer")
    user.set_password(PASSWORD, "pbkdf2:sha256:600")  # e.g. Werkzeug's old default cost
    db.session.commit()
    assert attempt(client, user.username, PASSWORD).status_code == 200
    db.session.refresh(user)
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    assert user.check_password(PASSWORD)
    same = user.password_hash
    assert attempt(app.test_client(), user.username, PASSWORD).status_code == 200
    db.session.refresh(user)
    assert user.password_hash == same  # made with the configured method: left alone


def test_the_default_password_hash_meets_owasp_scrypt_guidance(monkeypatch):
    from server.config import Config

    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    method, *costs = Config().PASSWORD_HASH_METHOD.split(":")
    # OWASP's password storage cheat sheet: these scrypt settings (N, r, p) are equivalent.
    owasp = {(2**17, 8, 1), (2**16, 8, 2), (2**15, 8, 3), (2**14, 8, 5), (2**13, 8, 10)}
    assert method == "scrypt" and tuple(map(int, costs)) in owasp
