"""Production refuses to start without a shared SECRET_KEY and PostgreSQL (unless told), with
a clear message and no traceback; the demo and the tests are not production; X-Forwarded-For
is believed from the configured proxies only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from werkzeug.test import EnvironBuilder

from server import production
from server.config import Config
from server.proxy import TrustedProxyFix

ROOT = Path(__file__).resolve().parents[2]
GOOD = {
    "XUNJIAN_ENV": "production",
    "SECRET_KEY": "s" * 32,
    "DATABASE_URL": "postgresql+psycopg://xunjian@127.0.0.1/xunjian",
    "TASK_QUEUE_URL": "redis://127.0.0.1:6379/0",
}
SETTINGS = ("XUNJIAN_ENV", "SECRET_KEY", "DATABASE_URL", "TASK_QUEUE_URL", "XUNJIAN_ALLOW_SQLITE")


def test_a_good_production_environment_passes():
    assert production.problems(GOOD) == []


def test_development_is_the_default_and_asks_nothing():
    assert production.problems({}) == []
    assert not production.is_production({})


@pytest.mark.parametrize(
    "change, words",
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY is not set"),
        ({"SECRET_KEY": "s" * 31}, "SECRET_KEY has 31 characters; production needs at least 32"),
        ({"DATABASE_URL": ""}, "DATABASE_URL is SQLite (or unset)"),
        ({"DATABASE_URL": "sqlite:////var/lib/xunjian/x.db"}, "XUNJIAN_ALLOW_SQLITE=1"),
        ({"TASK_QUEUE_URL": "sqlite:////var/lib/xunjian/tasks.db"}, "TASK_QUEUE_URL is SQLite"),
        ({"XUNJIAN_ENV": "prod"}, "XUNJIAN_ENV is 'prod'"),
    ],
)
def test_each_refusal_names_what_to_fix(change, words):
    [problem] = production.problems(GOOD | change)
    assert words in problem


def test_sqlite_when_explicitly_allowed():
    env = GOOD | {
        "DATABASE_URL": "sqlite:////x.db",
        "TASK_QUEUE_URL": "",
        "XUNJIAN_ALLOW_SQLITE": "1",
    }
    assert production.problems(env) == []


def test_every_problem_is_named_at_once():
    with pytest.raises(production.ProductionConfigError) as refused:
        production.check({"XUNJIAN_ENV": "production"})
    assert str(refused.value).count("\n  - ") == 3


def test_the_config_refuses_and_production_cookies_are_secure(monkeypatch):
    for name in SETTINGS + ("SECURE_COOKIES",):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("XUNJIAN_ENV", "production")
    with pytest.raises(production.ProductionConfigError):
        Config()
    for name, value in GOOD.items():
        monkeypatch.setenv(name, value)
    config = Config()
    assert config.PRODUCTION and config.SESSION_COOKIE_SECURE and config.REMEMBER_COOKIE_SECURE


def _env(**settings) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS}
    return env | {"PYTHONPATH": str(ROOT), "XUNJIAN_INSTANCE": "/nonexistent"} | settings


@pytest.mark.parametrize(
    "command",
    [
        [str(Path(sys.executable).with_name("gunicorn")), "--config", "deploy/gunicorn.conf.py"],
        [sys.executable, "-m", "server.cli", "worker"],
        [sys.executable, "-m", "server.cli", "db", "upgrade"],
    ],
    ids=["gunicorn", "worker", "migrations"],
)
def test_a_refused_start_is_a_message_and_status_2_never_a_traceback(command):
    # gunicorn's config file makes whatever it serves production, without XUNJIAN_ENV.
    env = _env() if "gunicorn" in command[0] else _env(XUNJIAN_ENV="production")
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2, done.stderr
    assert "xunjian refuses to start in production" in done.stderr
    assert "SECRET_KEY is not set" in done.stderr and "DATABASE_URL is SQLite" in done.stderr
    assert "Traceback" not in done.stderr


def test_the_gunicorn_config_imports_nothing_of_the_app():
    """The master must not hold the app's modules: a HUP's new workers import the new code."""
    script = (
        "import runpy, sys; c = runpy.run_path('deploy/gunicorn.conf.py'); "
        "print(c['wsgi_app'], c['worker_class'], c['workers'] >= 2, "
        "any(m == 'server' or m.startswith('server.') for m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=_env(**GOOD),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert done.stdout.split() == ["server:create_app()", "gthread", "True", "False"]


def _peer_seen(app, peer: str) -> str:
    environ = EnvironBuilder(headers={"X-Forwarded-For": "203.0.113.7"}).get_environ()
    environ["REMOTE_ADDR"] = peer
    seen = {}

    def inner(env, start_response):
        seen["addr"] = env["REMOTE_ADDR"]
        return []

    TrustedProxyFix(inner, 1, app)(environ, lambda *a: None)
    return seen["addr"]


def test_x_forwarded_for_only_from_the_allowed_proxies():
    assert _peer_seen("127.0.0.1,::1", "127.0.0.1") == "203.0.113.7"
    assert _peer_seen("127.0.0.1,::1", "10.0.0.9") == "10.0.0.9"
    assert _peer_seen("10.0.0.0/24", "10.0.0.9") == "203.0.113.7"
    assert _peer_seen("*", "198.51.100.1") == "203.0.113.7"
    with pytest.raises(ValueError, match="FORWARDED_ALLOW_IPS"):
        TrustedProxyFix(None, 1, "nginx.local")


def test_the_env_example_holds_no_secret_and_passes_once_the_key_is_filled_in():
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    env = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))
    assert env["SECRET_KEY"] == ""
    assert production.problems(env) == [production.problems(env)[0]]  # the key, only
    assert production.problems(env | {"SECRET_KEY": "k" * 64}) == []


def test_the_systemd_units_run_the_repositorys_config_and_do_not_restart_a_refusal():
    web = (ROOT / "deploy/systemd/xunjian-web@.service").read_text()
    worker = (ROOT / "deploy/systemd/xunjian-worker.service").read_text()
    assert "--config /srv/xunjian/app/deploy/gunicorn.conf.py" in web
    assert "ExecReload=/bin/kill -HUP $MAINPID" in web
    assert "KillSignal=SIGINT" in worker  # Huey's graceful stop
    for unit in (web, worker):
        assert "EnvironmentFile=/etc/xunjian/xunjian.env" in unit
        assert "Environment=XUNJIAN_ENV=production" in unit
        assert "RestartPreventExitStatus=2" in unit  # the exit status of a refused start
    assert "/etc/xunjian/xunjian.env" in (ROOT / "docs/deploy.md").read_text()
