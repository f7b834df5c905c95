"""Configuration read from the environment."""
from server.config import Config


def test_cookies_are_secure_only_when_asked(monkeypatch):
    monkeypatch.setenv("SECURE_COOKIES", "1")
    config = Config()
    assert config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE
    monkeypatch.setenv("SECURE_COOKIES", "0")
    assert not Config().SESSION_COOKIE_SECURE


def test_database_url_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://u@h/db")
    assert Config().SQLALCHEMY_DATABASE_URI == "postgresql+psycopg://u@h/db"
