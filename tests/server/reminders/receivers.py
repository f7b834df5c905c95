"""Real local receivers for the reminder channels: one HTTP server that answers as WeCom's and
DingTalk's group robots do (checking the payload shape and DingTalk's signature as their
documentation specifies), and an SMTP server (aiosmtpd) that keeps what it accepts."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import socket
import ssl
import subprocess
import threading
import time
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult

WECOM_KEY = "test-key-0001"
DINGTALK_TOKEN = "test-token-0001"
DINGTALK_SECRET = "SECtest-secret-0001"


def _wecom(query: dict, body: dict) -> dict:
    if query.get("key") != [WECOM_KEY]:
        return {"errcode": 93000, "errmsg": "invalid webhook url"}
    kind = body.get("msgtype")
    content = (body.get(kind) or {}).get("content") if kind in ("text", "markdown") else None
    if not isinstance(content, str) or not content:
        return {"errcode": 40008, "errmsg": "invalid message type"}
    if len(content.encode()) > 4096:
        return {"errcode": 40058, "errmsg": "content exceed max length"}
    return {"errcode": 0, "errmsg": "ok"}


def _dingtalk(query: dict, body: dict) -> dict:
    if query.get("access_token") != [DINGTALK_TOKEN]:
        return {"errcode": 300001, "errmsg": "token is not exist"}
    stamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not stamp.isdigit() or abs(int(stamp) - time.time() * 1000) > 3600_000:
        return {"errcode": 310000, "errmsg": "timestamp is not valid"}
    expected = base64.b64encode(
        hmac.new(
            DINGTALK_SECRET.encode(), f"{stamp}\n{DINGTALK_SECRET}".encode(), hashlib.sha256
        ).digest()
    ).decode()
    if sign != expected:  # parse_qs has already undone the URL encoding
        return {"errcode": 310000, "errmsg": "sign not match"}
    markdown = body.get("markdown") or {}
    if body.get("msgtype") != "markdown" or not markdown.get("title") or not markdown.get("text"):
        return {"errcode": 40035, "errmsg": "missing parameter"}
    return {"errcode": 0, "errmsg": "ok"}


class Robots:
    """The HTTP receiver; `messages` keeps every accepted (robot, body); `fail_next` answers
    the next N requests with HTTP 502 (a robot that is down)."""

    def __init__(self):
        self.messages: list[tuple[str, dict]] = []
        self.fail_next = 0
        robots = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (http.server's name)
                parts = urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                if robots.fail_next:
                    robots.fail_next -= 1
                    self.send_response(502)
                    self.end_headers()
                    return
                robot = parts.path.strip("/")
                answer = {"wecom": _wecom, "dingtalk": _dingtalk}[robot](
                    parse_qs(parts.query), body
                )
                if answer["errcode"] == 0:
                    robots.messages.append((robot, body))
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def wecom_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/wecom?key={WECOM_KEY}"

    def dingtalk_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/dingtalk?access_token={DINGTALK_TOKEN}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def self_signed(directory: Path, host: str = "127.0.0.1") -> tuple[Path, Path]:
    """A throwaway CA-less certificate for `host` (the openssl CLI; no test dependency)."""
    cert, key = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-keyout", str(key), "-out", str(cert), "-days", "1", "-subj", f"/CN={host}",
         "-addext", f"subjectAltName=IP:{host}"],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    return cert, key


class Mailbox:
    """An SMTP server on a free port keeping each accepted message; `refuse` answers 550.
    With `tls` (cert, key) it offers STARTTLS and refuses mail before it; with `login`
    (user, password) it requires SMTP AUTH (over TLS) and answers 535 to a wrong password."""

    def __init__(self, tls: tuple[Path, Path] | None = None, login: tuple[str, str] | None = None):
        self.messages = []
        self.refuse = False
        self.logins: list[tuple[str, bool]] = []  # (user, accepted) per AUTH
        box = self

        class Handler:
            async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's name)
                if box.refuse:
                    return "550 mailbox unavailable"
                box.messages.append(message_from_bytes(envelope.content, policy=policy.default))
                return "250 OK"

        def authenticate(server, session, envelope, mechanism, auth_data):
            user = auth_data.login.decode()
            ok = (user, auth_data.password.decode()) == login
            box.logins.append((user, ok))
            # handled=False: aiosmtpd answers the refusal itself (535), as a mail server does
            return AuthResult(success=ok, handled=False)

        options = {}
        if tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*map(str, tls))
            options.update(tls_context=context, require_starttls=True)
        if login:
            options.update(authenticator=authenticate, auth_required=True)
            options["auth_require_tls"] = bool(tls)
        self.port = _free_port()
        self.controller = Controller(Handler(), hostname="127.0.0.1", port=self.port, **options)

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc):
        self.controller.stop()
