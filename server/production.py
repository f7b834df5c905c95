"""When the app runs as production, and what it refuses to start without (docs/deploy.md).

Production is XUNJIAN_ENV=production: the systemd units' environment file sets it, and
deploy/gunicorn.conf.py sets it for whatever it serves. `make run` (the demo) and the tests
never set it, so they keep their per-machine key in var/ and their SQLite file.

Standard library only, and importable by file path: the gunicorn config checks the
environment in the master process without importing the `server` package (its workers
must import the code fresh on a reload).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping

ENV_NAMES = ("production", "development")
MIN_SECRET_KEY = 32
KEY_HINT = "python3 -c 'import secrets; print(secrets.token_hex(32))'"


class ProductionConfigError(RuntimeError):
    """The environment is not one production may start with; the message says what to fix."""


def is_production(env: Mapping[str, str] = os.environ) -> bool:
    return env.get("XUNJIAN_ENV", "").strip().lower() == "production"


def _sqlite(url: str) -> bool:
    return not url or url.startswith("sqlite")


def problems(env: Mapping[str, str] = os.environ) -> list[str]:
    """Everything wrong with this environment for production (empty: it may start)."""
    name = env.get("XUNJIAN_ENV", "").strip().lower()
    if name and name not in ENV_NAMES:
        return [f"XUNJIAN_ENV is {name!r}; use production (or leave it unset for development)"]
    if name != "production":
        return []
    found = []
    key = env.get("SECRET_KEY", "")
    if not key:
        found.append(
            "SECRET_KEY is not set. Every app server must sign sessions with the same key: "
            f"make one with {KEY_HINT} and put it in the environment file."
        )
    elif len(key) < MIN_SECRET_KEY:
        found.append(
            f"SECRET_KEY has {len(key)} characters; production needs at least "
            f"{MIN_SECRET_KEY}. Make one with {KEY_HINT}."
        )
    if env.get("XUNJIAN_ALLOW_SQLITE", "0") != "1":
        if _sqlite(env.get("DATABASE_URL", "")):
            found.append(
                "DATABASE_URL is SQLite (or unset). Production runs on PostgreSQL "
                "(postgresql+psycopg://USER@HOST/DB); a single-machine install may set "
                "XUNJIAN_ALLOW_SQLITE=1 to run on SQLite anyway."
            )
        if _sqlite(env.get("TASK_QUEUE_URL", "")):
            found.append(
                "TASK_QUEUE_URL is SQLite (or unset). Production queues on Redis "
                "(redis://HOST:6379/0); XUNJIAN_ALLOW_SQLITE=1 allows a local file."
            )
    return found


def check(env: Mapping[str, str] = os.environ) -> None:
    """Raise ProductionConfigError naming every problem at once."""
    if found := problems(env):
        raise ProductionConfigError(
            "xunjian refuses to start in production:\n" + "\n".join(f"  - {p}" for p in found)
        )


def exit_if_refused(env: Mapping[str, str] = os.environ) -> None:
    """The start-up check of a process (gunicorn, the CLI): a clear message and exit status 2,
    never a traceback."""
    try:
        check(env)
    except ProductionConfigError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
