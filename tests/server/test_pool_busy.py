"""An exhausted connection pool answers 503 with Retry-After, never a 500; pool bounds come from the environment."""

from sqlalchemy.exc import TimeoutError as PoolTimeout

from server.config import engine_options


def test_pool_timeout_is_a_503_with_retry_after(app):
    with app.test_request_context("/api/v1/sync/push", method="POST"):
        # The handler the app installed for this exception, as a request would reach it.
        answer = app.handle_user_exception(PoolTimeout("QueuePool limit of size 5 overflow 5"))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "2"
    assert answer.get_json()["error"]["code_name"] == "busy"


def test_pool_bounds_read_from_the_environment(monkeypatch):
    monkeypatch.setenv("DB_POOL_SIZE", "12")
    monkeypatch.setenv("DB_POOL_TIMEOUT", "3")
    options = engine_options("postgresql+psycopg://u@h/db")
    assert options["pool_size"] == 12 and options["pool_timeout"] == 3
    assert "pool_size" not in engine_options("sqlite://")  # SQLite's pools take no size
