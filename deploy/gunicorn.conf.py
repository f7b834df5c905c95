"""gunicorn's settings for xunjian in production (docs/deploy.md).

    gunicorn --config deploy/gunicorn.conf.py

Serves `server:create_app()` behind nginx (deploy/nginx/xunjian.conf). Whatever this file
serves is production (XUNJIAN_ENV=production): it refuses to start without a shared
SECRET_KEY and PostgreSQL (server/production.py), with a message and no traceback.
Every value can be overridden from the environment (the systemd unit's environment file).

Reloads: `kill -HUP <master>` (systemctl reload) re-reads this file and replaces the workers
one by one with fresh ones that import the new code; a worker finishes its requests first
(up to graceful_timeout). `kill -USR2` starts a second master on the same socket (a new
virtualenv or gunicorn); then QUIT the old one. The app is therefore NOT preloaded, and this
file imports nothing of the `server` package: the master must not hold old modules.
"""

import importlib.util
import multiprocessing
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _refuse_bad_production_environment() -> None:
    """server/production.py by file path, under a name of its own (not server.production)."""
    spec = importlib.util.spec_from_file_location("_xunjian_startup", ROOT / "server/production.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.exit_if_refused()


os.environ.setdefault("XUNJIAN_ENV", "production")
_refuse_bad_production_environment()

wsgi_app = "server:create_app()"
chdir = str(ROOT)
# Loopback (nginx on this machine) or this machine's private address (nginx elsewhere);
# never a public interface: the app trusts X-Forwarded-* from FORWARDED_ALLOW_IPS.
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000").split(",")

# Threads, not only processes: a photo (up to 15 MiB) reaches the app as the phone sends it
# (nginx does not buffer photo uploads, so the app can hash and refuse them while they
# stream), and on a slow field link that takes minutes. A slow upload holds one thread, not
# a whole worker. Processes from the cores for the CPU (JSON, Pillow's checks, reports).
worker_class = "gthread"
workers = _env_int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2)
threads = _env_int("GUNICORN_THREADS", 4)
# With gthread this is how long a worker may stay silent (stuck), not a request's duration:
# a 15 MiB upload over a 256 kbit/s link (8 minutes) is not cut by it.
timeout = _env_int("GUNICORN_TIMEOUT", 120)
# A reload or stop lets running requests finish this long (a photo on a slow link, a sync
# push of 200 records), then the phone retries whatever was cut.
graceful_timeout = _env_int("GUNICORN_GRACEFUL_TIMEOUT", 120)
# nginx opens a connection per request (deploy/nginx/xunjian.conf says why).
keepalive = _env_int("GUNICORN_KEEPALIVE", 2)
# A worker is replaced after this many requests (jitter: not all at once).
max_requests = _env_int("GUNICORN_MAX_REQUESTS", 5000)
max_requests_jitter = _env_int("GUNICORN_MAX_REQUESTS_JITTER", 500)
worker_tmp_dir = os.environ.get("GUNICORN_WORKER_TMP_DIR", "/dev/shm")

# X-Forwarded-Proto (request.is_secure, Secure cookies, HSTS) only from nginx's address, and
# only that header: nginx passes other client headers through (X-Forwarded-Ssl, ...).
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
# nginx is the only client and limits the request line and headers itself.
limit_request_line = 8190

# Logs to stderr (the journal); nginx already writes the access log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = os.environ.get("GUNICORN_PROC_NAME", "xunjian-web")
# gunicornc's control socket (gunicorn 25+): one path per server, so that two servers of one
# machine never share one; GUNICORN_CONTROL_SOCKET="" turns it off (signals do the same).
control_socket = os.environ.get("GUNICORN_CONTROL_SOCKET", f"/run/{proc_name}/gunicorn.ctl")
control_socket_disable = not control_socket
