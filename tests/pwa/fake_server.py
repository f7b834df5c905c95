"""TEST DOUBLE — not the real server. Serves pwa/static like the Flask app will and fakes /api/v1 from docs/sync.md in memory.

Used only by the browser tests and bench/pwa.py until the real server exists.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pwa.precache import build_precache_manifest, render_manifest_js
from server.security_headers import page_headers
from server.services.faults.sla import pack_constants as sla_constants
from server.tags import from_payload as make_tag

STATIC = Path(__file__).resolve().parents[2] / "pwa" / "static"
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".wasm": "application/wasm",
    ".webmanifest": "application/manifest+json",
    ".json": "application/json",
}
USERS = {"eng": "pw"}
TAGS = {"terminal": make_tag("3K7M2"), "camera": make_tag("4ABCD"), "other_site": make_tag("9XYZW")}


def quarter_end(day: date) -> date:
    """The last day of day's quarter (a quarterly plan entry's due date)."""
    last_month = (day.month - 1) // 3 * 3 + 3
    return date(day.year + last_month // 12, last_month % 12 + 1, 1) - timedelta(days=1)


def demo_pack() -> dict:
    """A tiny field pack in the real server's shapes (server/services/field/pack.py, plans_sync.py):
    two sites, three devices placed by room, one template per device kind, one plan entry this quarter."""
    today = date.today()
    items = [
        {
            "key": "display.sharpness",
            "section": "display",
            "label_zh": "图像清晰度",
            "label_en": "Image sharpness",
            "type": "pass_fail",
        },
        {
            "key": "network.ping_ms",
            "section": "network",
            "label_zh": "到平台的 ping",
            "label_en": "Ping to platform",
            "type": "number",
            "unit": "ms",
            "min": 0,
            "max": 100,
        },
        {
            "key": "cabling.photo",
            "section": "cabling",
            "label_zh": "线缆照片",
            "label_en": "Cabling photo",
            "type": "pass_fail",
            "photo_required": True,
        },
        {
            "key": "remarks",
            "section": "other",
            "label_zh": "其他情况",
            "label_en": "Other findings",
            "type": "text",
            "required": False,
        },
    ]
    template = {
        "version": 1,
        "inspection_kind": "quarterly",
        "name_zh": "季度巡检",
        "name_en": "Quarterly inspection",
        "items": items,
    }
    return {
        "sites": [
            {
                "id": 1,
                "code": "520102",
                "name": "南明区医疗保障局",
                "tier": "county",
                "region": "520102",
                "prefecture": "520100",
            },
            {
                "id": 2,
                "code": "520103",
                "name": "云岩区医疗保障局",
                "tier": "county",
                "region": "520103",
                "prefecture": "520100",
            },
        ],
        "rooms": [
            {"id": 1, "site_id": 1, "name": "主会议室", "kind": "main_conference"},
            {"id": 2, "site_id": 2, "name": "主会议室", "kind": "main_conference"},
        ],
        "device_types": [
            {
                "id": 1,
                "code": "V01",
                "kind": "video_conference",
                "name_zh": "4K 视频会议终端",
                "name_en": "4K video conference terminal",
                "model": "JF-T900",
            },
            {
                "id": 2,
                "code": "C01",
                "kind": "camera",
                "name_zh": "4K 摄像机",
                "name_en": "4K camera",
                "model": "JF-C4K",
            },
        ],
        "devices": [
            {
                "id": 1,
                "tag": TAGS["terminal"],
                "type_id": 1,
                "room_id": 1,
                "status": "in_service",
                "serial": None,
            },
            {
                "id": 2,
                "tag": TAGS["camera"],
                "type_id": 2,
                "room_id": 1,
                "status": "in_service",
                "serial": None,
            },
            {
                "id": 3,
                "tag": TAGS["other_site"],
                "type_id": 2,
                "room_id": 2,
                "status": "in_service",
                "serial": None,
            },
        ],
        "templates": [
            {
                **template,
                "id": 1,
                "key": "video_conference.quarterly",
                "device_kind": "video_conference",
            },
            {**template, "id": 2, "key": "camera.quarterly", "device_kind": "camera"},
        ],
        "plans": [
            {
                "id": 12,
                "plan_id": 1,
                "kind": "quarterly",
                "period": f"{today.year}Q{(today.month - 1) // 3 + 1}",
                "site_code": "520102",
                "site_name": "南明区医疗保障局",
                "prefecture": "520100",
                "engineer_id": 1,
                "engineer_name": "Eng",
                "due_date": quarter_end(today).isoformat(),
                "position": 1,
                "state": "planned",
                "reason_code": "rotation",
                "required": True,
                "replaces_id": None,
                "replace_reason": None,
                "replaced_by_user_id": None,
                "replaced_at": None,
                "visited": False,
            }
        ],
        "tag_aliases": [],
        "faults": [],
        "spares": [],
        "rma": [],
    }


@dataclass
class FakeState:
    """Everything the fake API stored; tests read it."""

    sessions: dict = field(default_factory=dict)  # token -> csrf
    records: dict = field(default_factory=dict)  # uuid -> canonical json of the record
    answers: list = field(default_factory=list)  # every per-record answer given
    photos: dict = field(default_factory=dict)  # sha256 -> bytes
    photo_puts: int = 0
    api_down: bool = False  # drop API connections (network gone)
    deploy_marker: str = ""  # appended to precache-manifest.js: simulates a new release
    lock: threading.Lock = field(default_factory=threading.Lock)


class Handler(BaseHTTPRequestHandler):
    """Static files, shell for navigations, and the fake API."""

    server_version = "FakeXunjian/0"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet test output
        pass

    @property
    def state(self) -> FakeState:
        return self.server.state

    # --- plumbing -------------------------------------------------------
    def _send(
        self,
        status: int,
        body: bytes = b"",
        content_type: str = "application/json",
        headers: dict | None = None,
    ):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        # The real server's security headers (CSP above all), so the PWA is tested under them.
        for k, v in {**page_headers(), **(headers or {})}.items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj, headers: dict | None = None):
        self._send(status, json.dumps(obj).encode(), headers=headers)

    def _error(
        self, status: int, message: str, code_name: str | None = None, errors: dict | None = None
    ):
        err = {"code": status, "status": message, "message": message, "errors": errors or {}}
        if code_name:
            err["code_name"] = code_name
        self._json(status, {"error": err})

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _session(self) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value in self.state.sessions:
                return value
        return None

    # --- static ---------------------------------------------------------
    def _static(self, path: str):
        if path == "/sw.js":
            file = STATIC / "sw.js"
        elif path.startswith("/static/"):
            file = (STATIC / path[len("/static/") :]).resolve()
            if STATIC not in file.parents:
                return self._send(404, b"not found", "text/plain")
        elif (
            "text/html" in (self.headers.get("Accept") or "") or "." not in path.rsplit("/", 1)[-1]
        ):
            file = STATIC / "index.html"  # the app shell for every navigation
        else:
            return self._send(404, b"not found", "text/plain")
        if (
            path == "/static/precache-manifest.js"
        ):  # computed, as the real server does; never on disk
            body = self.server.precache_js + (
                f"// release {self.state.deploy_marker}\n".encode()
                if self.state.deploy_marker
                else b""
            )
            return self._send(200, body, TYPES[".js"])
        if not file.is_file():
            return self._send(404, b"not found", "text/plain")
        self._send(200, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"))

    # --- dispatch -------------------------------------------------------
    def do_GET(self):
        self._route()

    def do_HEAD(self):
        self._route()

    def do_POST(self):
        self._route()

    def do_PUT(self):
        self._route()

    def _route(self):
        path = urlsplit(self.path).path
        if not path.startswith("/api/"):
            return self._static(path) if self.command in ("GET", "HEAD") else self._send(405)
        if self.state.api_down:
            self.close_connection = True
            self.connection.shutdown(2)  # the network is gone: no answer at all
            return None
        if path == "/api/v1/auth/login" and self.command == "POST":
            return self._login()
        token = self._session()
        if token is None:
            return self._error(401, "Unauthorized")
        if (
            self.command in ("POST", "PUT")
            and self.headers.get("X-CSRF-Token") != self.state.sessions[token]
        ):
            self._body()
            return self._error(400, "CSRF token missing or stale", code_name="csrf")
        if path == "/api/v1/auth/me":
            return self._json(
                200,
                {
                    "user": {"username": "eng", "role": "engineer"},
                    "csrf_token": self.state.sessions[token],
                },
            )
        if path == "/api/v1/auth/logout":
            self.state.sessions.pop(token, None)
            return self._json(200, {})
        if path == "/api/v1/sync/pull":
            return self._json(
                200,
                {
                    "cursor": "c1",
                    "full": True,
                    "server_time": _now(),
                    **demo_pack(),
                    "deleted": {},
                    "constants": {"sla": sla_constants()},
                },
            )
        if path == "/api/v1/sync/push" and self.command == "POST":
            return self._push()
        if path.startswith("/api/v1/photos/"):
            return self._photo(path.rsplit("/", 1)[-1])
        return self._error(404, "Not Found")

    def _login(self):
        data = json.loads(self._body() or b"{}")
        if USERS.get(data.get("username")) != data.get("password"):
            return self._error(401, "Wrong username or password")
        token, csrf = secrets.token_hex(16), secrets.token_hex(16)
        self.state.sessions[token] = csrf
        self._json(
            200,
            {"user": {"username": data["username"], "role": "engineer"}, "csrf_token": csrf},
            headers={"Set-Cookie": f"session={token}; Path=/; HttpOnly; SameSite=Lax"},
        )

    def _push(self):
        try:
            records = json.loads(self._body())["records"]
            assert isinstance(records, list) and len(records) <= 200
        except Exception:  # noqa: BLE001 - any malformed body is one 422
            return self._error(422, "records must be a list of at most 200")
        results = [self._store(r) for r in records]
        self._json(200, {"server_time": _now(), "results": results})

    def _store(self, record: dict) -> dict:
        uuid = record.get("uuid")
        if record.get("type") not in ("visit", "inspection") or not uuid:
            answer = {
                "uuid": uuid,
                "status": "rejected",
                "reason": "unknown type",
                "errors": {"type": ["unknown"]},
            }
        else:
            canonical = json.dumps(record, sort_keys=True)
            with self.state.lock:
                known = self.state.records.get(uuid)
                if known is None:
                    self.state.records[uuid] = canonical
                    status = "created"
                else:
                    status = "duplicate" if known == canonical else "conflict"
            answer = {
                "uuid": uuid,
                "status": status,
                "id": list(self.state.records).index(uuid) + 1,
                "clock_skew_seconds": 0,
            }
        self.state.answers.append(answer)
        return answer

    def _photo(self, sha: str):
        if self.command in ("HEAD", "GET"):
            data = self.state.photos.get(sha)
            if data is None:
                return self._error(404, "Not Found")
            return self._send(200, data, "image/jpeg")
        body = self._body()
        if hashlib.sha256(body).hexdigest() != sha:
            return self._error(422, "bytes do not hash to the name")
        self.state.photo_puts += 1
        existed = sha in self.state.photos
        self.state.photos[sha] = body
        return self._json(200 if existed else 201, {"sha256": sha})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class FakeServer:
    """Start/stop the double on 127.0.0.1 and a free port."""

    def __init__(self):
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.precache_js = render_manifest_js(build_precache_manifest(STATIC)).encode()
        self.httpd.daemon_threads = True
        self.httpd.state = FakeState()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def state(self) -> FakeState:
        return self.httpd.state

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()
