"""Configuration read from the environment."""

import pytest
import sqlalchemy as sa

from server.config import Config, engine_options


def test_cookies_are_secure_only_when_asked(monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    config = Config()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    monkeypatch.setenv("SECURE_COOKIES", "0")
    assert not Config().SESSION_COOKIE_SECURE


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Config().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"


def test_sync_fault_pause_comes_from_the_environment(monkeypatch):
    """Issue 11: setting SYNC_FAULT_PAUSE_SECONDS in the environment did nothing."""
    import pytest

    monkeypatch.delenv("SYNC_FAULT_PAUSE_SECONDS", raising=False)
    assert Config().SYNC_FAULT_PAUSE_SECONDS == 0
    monkeypatch.setenv("SYNC_FAULT_PAUSE_SECONDS", "2.5")
    assert Config().SYNC_FAULT_PAUSE_SECONDS == 2.5
    monkeypatch.setenv("SYNC_FAULT_PAUSE_SECONDS", "soon")
    with pytest.raises(ValueError, match="SYNC_FAULT_PAUSE_SECONDS"):
        Config()


def test_sync_fault_pause_from_the_environment_pauses_a_push(
    monkeypatch, app, reference_data, auth, db
):
    """The push engine reads the app config the environment filled (the kill -9 test's pause)."""
    from server.config import TestConfig
    from server.services.sync import engine as sync
    from tests import sync_records as rec

    monkeypatch.setenv("SYNC_FAULT_PAUSE_SECONDS", "60")
    monkeypatch.setitem(
        app.config, "SYNC_FAULT_PAUSE_SECONDS", TestConfig().SYNC_FAULT_PAUSE_SECONDS
    )
    pauses = []
    monkeypatch.setattr(sync.time, "sleep", pauses.append)
    answer = sync.push(auth("engineer").user, [rec.visit("520000")])
    assert answer["results"][0]["status"] == "created" and pauses == [60.0]


def test_postgresql_connections_turn_jit_off_unless_asked(monkeypatch):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    monkeypatch.delenv("PG_JIT", raising=False)
    assert engine_options(url)["connect_args"] == {"options": "-c jit=off"}
    assert "connect_args" not in engine_options("sqlite:////var/x.db")
    monkeypatch.setenv("PG_JIT", "1")
    assert "connect_args" not in engine_options(url)


def test_server_database_connections_are_recycled(monkeypatch):
    url = "postgresql+psycopg://postgres@127.0.0.1:5432/x"
    monkeypatch.delenv("DB_POOL_RECYCLE", raising=False)
    assert engine_options(url)["pool_recycle"] == 600
    monkeypatch.setenv("DB_POOL_RECYCLE", "60")
    assert engine_options(url)["pool_recycle"] == 60
    assert "pool_recycle" not in engine_options("sqlite:////var/x.db")


@pytest.mark.db
def test_the_app_connection_runs_without_jit_on_postgresql(app):
    from server.extensions import db

    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            assert "connect_args" not in app.config["SQLALCHEMY_ENGINE_OPTIONS"]
            return
        assert db.session.scalar(sa.text("SHOW jit")) == "off"
