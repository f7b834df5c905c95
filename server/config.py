"""Configuration classes; every setting can come from the environment."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from server import production

INSTANCE_DIR = Path(os.environ.get("XUNJIAN_INSTANCE", Path.cwd() / "var"))


def _secret_key() -> str:
    """Read SECRET_KEY, or keep a random one in the instance folder (never in the repo)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE_DIR / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def _seconds(name: str) -> float:
    """A number of seconds from the environment (0 when unset), or a clear start-up error."""
    text = os.environ.get(name, "").strip()
    try:
        return float(text) if text else 0.0
    except ValueError:
        raise ValueError(f"{name} must be a number of seconds, not {text!r}") from None


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _sign_in_settings() -> dict:
    """Session lifetimes, the sign-in brake and the proxy count (docs/security.md)."""
    remember_days = _env_int("REMEMBER_DAYS", 30)
    return {
        "SESSION_IDLE_MINUTES": _env_int("SESSION_IDLE_MINUTES", 12 * 60),
        "SESSION_LIFETIME_HOURS": _env_int("SESSION_LIFETIME_HOURS", 24),
        "REMEMBER_IDLE_DAYS": _env_int("REMEMBER_IDLE_DAYS", 14),
        "REMEMBER_DAYS": remember_days,
        "REMEMBER_COOKIE_DURATION": timedelta(days=remember_days),
        "SESSION_ROTATION_GRACE_SECONDS": _env_int("SESSION_ROTATION_GRACE_SECONDS", 120),
        "LOGIN_FAILURES_PER_ACCOUNT": _env_int("LOGIN_FAILURES_PER_ACCOUNT", 5),
        "LOGIN_FAILURE_WINDOW_MINUTES": _env_int("LOGIN_FAILURE_WINDOW_MINUTES", 15),
        "LOGIN_ACCOUNTS_PER_ADDRESS": _env_int("LOGIN_ACCOUNTS_PER_ADDRESS", 10),
        "LOGIN_ADDRESS_WINDOW_MINUTES": _env_int("LOGIN_ADDRESS_WINDOW_MINUTES", 5),
        # scrypt N=2^15, r=8, p=3: OWASP's equivalent of N=2^17, p=1 at a quarter of the memory
        # (32 MiB per check; Werkzeug's default p=1 is below the guidance). Older hashes are
        # upgraded at the next sign-in (services/core/users.authenticate).
        "PASSWORD_HASH_METHOD": os.environ.get("PASSWORD_HASH_METHOD", "scrypt:32768:8:3"),
        # An admin's one-time sign-in code stops working this many hours after it was issued.
        "RESET_CODE_HOURS": _env_int("RESET_CODE_HOURS", 24),
        # How many reverse proxies in front set X-Forwarded-For; 0 trusts none of it.
        "PROXY_FIX_X_FOR": _env_int("PROXY_FIX_X_FOR", 0),
        # ... and only from these peers (nginx); gunicorn reads the same variable for the scheme.
        "FORWARDED_ALLOW_IPS": os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1"),
    }


def _observability_settings() -> dict:
    """Log format and level, the /metrics token (docs/observability.md)."""
    return {
        # json (one object per line) or text; unset: text on a terminal, JSON otherwise.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "").strip().lower() or None,
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO").strip().upper(),
        # Unset: /metrics only from this machine, not through a proxy.
        "METRICS_TOKEN": os.environ.get("METRICS_TOKEN", "") or None,
    }


def _sqlite_file(url: str) -> bool:
    """A SQLite database in a file (pooled), not in memory (one connection, no pool options)."""
    return url.startswith("sqlite") and url.split("///", 1)[-1] not in ("", ":memory:", url)


def engine_options(url: str) -> dict:
    """Connection pool bounds (docs/sync.md, busy server): a request waits DB_POOL_TIMEOUT s, then 503."""
    options: dict = {"pool_pre_ping": True}
    if _sqlite_file(url):
        # A file: the connection used last comes back first. Its page cache holds what the
        # last push read, while one idle longer lost its cache to others' commits (WAL).
        options["pool_use_lifo"] = bool(_env_int("SQLITE_POOL_LIFO", 1))
    if not url.startswith("sqlite"):  # SQLite's pools take no size or timeout
        options |= {
            "pool_size": _env_int("DB_POOL_SIZE", 5),
            "max_overflow": _env_int("DB_MAX_OVERFLOW", 5),
            "pool_timeout": _env_int("DB_POOL_TIMEOUT", 10),
            # A connection keeps the plans it made, PostgreSQL's own foreign-key checks among
            # them, until an ANALYZE of the table makes it re-plan. Without autovacuum, one
            # opened while `inspection` was empty would scan it whole for every result row
            # forever; recycled, no plan outlives DB_POOL_RECYCLE s (docs/coverage.md,
            # "Seventh round"). A reconnection every ten minutes costs nothing measurable.
            "pool_recycle": _env_int("DB_POOL_RECYCLE", 600),
        }
    if url.startswith("postgresql") and not _env_int("PG_JIT", 0):
        # PostgreSQL compiles a plan with JIT once its cost passes jit_above_cost. The app's
        # statements are interactive reads and small writes, for which compiling costs more than
        # it saves: a site's coverage detail at national scale spent 650 ms of its 1.3 s in JIT
        # (docs/scaling.md). PG_JIT=1 leaves the server's setting alone.
        options["connect_args"] = {"options": "-c jit=off"}
    return options


def _s3_settings() -> dict:
    """PHOTO_STORE / ATTACHMENT_STORE = s3://bucket/prefix: how to reach it (docs/photos.md)."""
    env = os.environ.get
    return {
        "S3_ENDPOINT_URL": env("S3_ENDPOINT_URL", ""),  # empty: AWS itself
        "S3_REGION": env("S3_REGION", "us-east-1"),
        "S3_ACCESS_KEY_ID": env("AWS_ACCESS_KEY_ID", ""),
        "S3_SECRET_ACCESS_KEY": env("AWS_SECRET_ACCESS_KEY", ""),
        "S3_ADDRESSING_STYLE": env("S3_ADDRESSING_STYLE", "path"),  # SeaweedFS, MinIO: path
        "S3_CONNECT_TIMEOUT": float(env("S3_CONNECT_TIMEOUT", "3")),
        "S3_READ_TIMEOUT": float(env("S3_READ_TIMEOUT", "30")),
        "S3_MAX_ATTEMPTS": int(env("S3_MAX_ATTEMPTS", "2")),
        # Uploads are spooled here (hashed and checked) before S3 hears of them.
        "S3_SPOOL_DIR": env("S3_SPOOL_DIR", str(INSTANCE_DIR / "s3-spool")),
    }


class Config:
    """Production-like defaults: SQLite in ./var unless DATABASE_URL says otherwise."""

    def __init__(self) -> None:
        production.check()  # XUNJIAN_ENV=production: a shared key and PostgreSQL, or no start
        self.PRODUCTION = production.is_production()
        self.SECRET_KEY = _secret_key()
        self.__dict__.update(_sign_in_settings())
        self.__dict__.update(_observability_settings())
        self.SQLALCHEMY_DATABASE_URI = os.environ.get(
            "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'xunjian.db'}"
        )
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        # Empty: the address each request was served on (server/services/core/public_url.py).
        self.LABEL_URL_BASE = os.environ.get("LABEL_URL_BASE", "")
        # The demo (`make run` exports XUNJIAN_DEMO=1): the demo users keep their published
        # passwords. Outside it they must choose their own at first sign-in (docs/security.md).
        self.DEMO_MODE = os.environ.get("XUNJIAN_DEMO", "0") == "1"
        self.LABEL_OWNER_LINE = os.environ.get("LABEL_OWNER_LINE", "贵州省医疗保障局")
        self.LABEL_SUPPORT_PHONE = os.environ.get("LABEL_SUPPORT_PHONE", "")
        # Thermal label printers (JSON list, docs/labels.md): checked when used, named in errors.
        self.LABEL_PRINTERS = os.environ.get("LABEL_PRINTERS", "[]")
        self.LABEL_PRINTER_TIMEOUT = float(os.environ.get("LABEL_PRINTER_TIMEOUT", "10"))
        self.PHOTO_STORE = os.environ.get("PHOTO_STORE", str(INSTANCE_DIR / "photos"))
        self.PHOTO_MAX_BYTES = int(os.environ.get("PHOTO_MAX_BYTES", 15 * 1024 * 1024))
        self.PHOTO_MAX_PIXELS = int(os.environ.get("PHOTO_MAX_PIXELS", 50_000_000))
        # Assessment evidence that is not a photo (a PDF letter), by SHA-256 (docs/assessment.md).
        self.ATTACHMENT_STORE = os.environ.get(
            "ATTACHMENT_STORE", str(INSTANCE_DIR / "attachments")
        )
        self.ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024))
        self.__dict__.update(_s3_settings())
        self.CLOCK_SKEW_LIMIT_SECONDS = 300
        # Presence (docs/evidence.md): a visit farther than this from its site's point, beyond
        # the phone's stated accuracy, is flagged (never refused).
        self.PRESENCE_MAX_METERS = int(os.environ.get("PRESENCE_MAX_METERS", 500))
        # Background jobs (server/tasks/): an SQLite file beside the database by default,
        # redis://host:port/db in production; the files jobs make (packages, reports) go here.
        self.TASK_QUEUE_URL = os.environ.get(
            "TASK_QUEUE_URL", f"sqlite:///{INSTANCE_DIR / 'tasks.db'}"
        )
        self.JOB_FILES = os.environ.get("JOB_FILES", str(INSTANCE_DIR / "jobs"))
        # Finished jobs' files are deleted after this many days (docs/jobs.md, retention).
        self.JOB_RETENTION_DAYS = int(os.environ.get("JOB_RETENTION_DAYS", 14))
        # Backups (docs/backup.md): the folder, the key (never in the repo), the retention, and
        # the day the daily backup cycles are owed from (default: the day of the first backup).
        self.BACKUP_DIR = os.environ.get("BACKUP_DIR", str(INSTANCE_DIR / "backups"))
        self.BACKUP_KEY = os.environ.get("BACKUP_KEY", "")
        self.BACKUP_KEEP = _env_int("BACKUP_KEEP", 14)
        self.BACKUP_KEEP_DAYS = _env_int("BACKUP_KEEP_DAYS", 30)
        self.BACKUP_OWED_FROM = os.environ.get("BACKUP_OWED_FROM", "")
        # Fault injection for the kill-mid-batch test only (docs/sync.md); never in production.
        self.SYNC_FAULT_PAUSE_SECONDS = _seconds("SYNC_FAULT_PAUSE_SECONDS")
        # Behind HTTPS (production by default, `make run HTTPS=1`) cookies must never travel in clear.
        secure = os.environ.get("SECURE_COOKIES", "1" if self.PRODUCTION else "0") == "1"
        self.SESSION_COOKIE_SECURE = self.REMEMBER_COOKIE_SECURE = secure

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    JSON_SORT_KEYS = False
    API_TITLE = "xunjian API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api"
    OPENAPI_JSON_PATH = "openapi.json"
    TESTING = False


class TestConfig(Config):
    """Tests: TEST_DATABASE_URL or in-memory SQLite, fast password hashing."""

    __test__ = False  # not a pytest test class

    def __init__(self) -> None:
        super().__init__()
        self.SECRET_KEY = "test-secret-key"
        self.SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
        self.SQLALCHEMY_ENGINE_OPTIONS = engine_options(self.SQLALCHEMY_DATABASE_URI)
        self.TESTING = True
        self.LABEL_URL_BASE = "https://xj.example.cn"
        self.PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
        # Tests seed the demo users as the demo has them; a test of the first sign-in turns it off.
        self.DEMO_MODE = True
        # Jobs queue in memory and run when a test says so (tests/server/tasks/).
        self.TASK_QUEUE_URL = os.environ.get("TEST_TASK_QUEUE_URL", "memory://")
