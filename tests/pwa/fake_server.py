"""TEST DOUBLE, not the real server: serves pwa/static like the Flask app and fakes the few
/api/v1 answers a signed-in phone needs (login, me, pull, push, photos) in memory.

Kept for the one case a real server cannot produce: a NEW RELEASE appearing while the page is
open (tests/pwa/test_pwa_update.py). The real server serves one release, the files of
pwa/static; a second one would mean changing files in the source tree under a running test.
The double computes the precache manifest from pwa/static exactly as the server does
(pwa/precache.py; never written to disk) and appends a release marker on demand, so the
service worker sees a changed manifest. Every other browser test runs on tests/live_server.py,
but for the phone's meeting screens (tests/pwa/test_pwa_meeting.py): their record types were
written in parallel with them, so that test pins what the phone sends, not what a server keeps.
The push here only answers by UUID (created, then duplicate), or refuses a type on demand.
"""

from __future__ import annotations

import json
import secrets
import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

from pwa.precache import build_precache_manifest, render_manifest_js
from server.security_headers import page_headers
from server.services.faults.sla import pack_constants as sla_constants
from server.tags import from_payload as make_tag

STATIC = Path(__file__).resolve().parents[2] / "pwa" / "static"
TYPES = {".html": "text/html; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
TYPES |= {
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
    ".wasm": "application/wasm",
}
TYPES |= {".webmanifest": "application/manifest+json", ".json": "application/json"}
USERS = {"eng": "pw"}
USER = {"id": 7, "username": "eng", "display_name": "张工", "role": "engineer"}
TAG = make_tag("3K7M2")
ITEMS = [
    {"key": "display.sharpness", "section": "display", "type": "pass_fail"}
    | {"label_zh": "图像清晰度", "label_en": "Image sharpness"},
    {"key": "network.ping_ms", "section": "network", "type": "number", "unit": "ms"}
    | {"label_zh": "到平台的 ping", "label_en": "Ping to platform", "min": 0, "max": 100},
]


def demo_pack() -> dict:
    """A one-device field pack in the real server's shapes (docs/pwa.md, the pack)."""
    site = {"id": 1, "code": "520102", "name": "南明区医疗保障局", "tier": "county"}
    dtype = {"id": 1, "code": "V01", "kind": "video_conference", "model": "JF-T900"}
    dtype |= {"name_zh": "4K 视频会议终端", "name_en": "4K video conference terminal"}
    template = {"id": 1, "version": 1, "key": "video_conference.quarterly", "items": ITEMS}
    template |= {"device_kind": "video_conference", "inspection_kind": "quarterly"}
    template |= {"name_zh": "季度巡检", "name_en": "Quarterly inspection"}
    device = {"id": 1, "tag": TAG, "type_id": 1, "room_id": 1, "status": "in_service"}
    return {
        "sites": [
            {**site, "region_code": "520102", "prefecture": "520100"},
            {"id": 2, "code": "520103", "name": "云岩区医疗保障局", "tier": "county"}
            | {"region_code": "520103", "prefecture": "520100"},
        ],
        "rooms": [{"id": 1, "site_id": 1, "name": "主会议室", "kind": "main_conference"}],
        "device_types": [dtype],
        "devices": [{**device, "serial": None}],
        "templates": [template],
        **{name: [] for name in ("plans", "tag_aliases", "faults", "spares", "rma")},
    }


@dataclass
class FakeState:
    """What the double keeps; tests change `deploy_marker` to publish a new release."""

    sessions: dict = field(default_factory=dict)  # session token -> csrf token
    deploy_marker: str = ""  # appended to precache-manifest.js: a new release
    meetings: list = field(default_factory=list)  # the pack's meetings section
    records: dict = field(default_factory=dict)  # uuid -> the record pushed (first time)
    pushes: list = field(default_factory=list)  # every record pushed, replays included
    refuse: dict = field(default_factory=dict)  # record type -> code_name it is rejected with
    photos: dict = field(default_factory=dict)  # sha256 -> bytes


class Handler(BaseHTTPRequestHandler):
    """Static files, the shell for navigations, and the fake API."""

    server_version = "FakeXunjian/0"
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet test output
        pass

    @property
    def state(self) -> FakeState:
        return self.server.state

    def _send(self, status: int, body: bytes, content_type: str, headers: dict | None = None):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-cache")
        # The real server's security headers (CSP above all), so the PWA is tested under them.
        for key, value in {**page_headers(), **(headers or {})}.items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _json(self, status: int, obj, headers: dict | None = None):
        self._send(status, json.dumps(obj).encode(), "application/json", headers)

    def _error(self, status: int, message: str):
        self._json(status, {"error": {"code": status, "status": message, "message": message}})

    def _session(self) -> str | None:
        for part in (self.headers.get("Cookie") or "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == "session" and value in self.state.sessions:
                return value
        return None

    def _static(self, path: str):
        if path == "/static/precache-manifest.js":  # computed, as the real server does
            marker = self.state.deploy_marker
            body = self.server.precache_js + (f"// release {marker}\n".encode() if marker else b"")
            return self._send(200, body, TYPES[".js"])
        if path == "/sw.js":
            file = STATIC / "sw.js"
        elif path.startswith("/static/"):
            file = (STATIC / path[len("/static/") :]).resolve()
        else:
            file = STATIC / "index.html"  # the app shell for every navigation
        if STATIC not in file.parents or not file.is_file():
            return self._send(404, b"not found", "text/plain")
        self._send(200, file.read_bytes(), TYPES.get(file.suffix, "application/octet-stream"))

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
            return self._static(path)
        if path == "/api/v1/auth/login" and self.command == "POST":
            return self._login()
        token = self._session()
        if token is None:
            return self._error(401, "Unauthorized")
        if path == "/api/v1/auth/me":
            return self._json(200, {"user": USER, "csrf_token": self.state.sessions[token]})
        if path == "/api/v1/sync/pull":
            now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
            extra = {"deleted": {}, "constants": {"sla": sla_constants()}}
            return self._json(
                200,
                {"cursor": "c1", "full": True, "server_time": now, **demo_pack(), **extra}
                | {"meetings": self.state.meetings},
            )
        if path == "/api/v1/sync/push" and self.command == "POST":
            return self._push()
        if path == "/api/v1/sync/report" and self.command == "POST":
            self._body()  # the phone's outbox report (docs/sync.md): nothing ever lost here
            return self._json(200, {"never_arrived": 0})
        if path.startswith("/api/v1/photos/"):
            return self._photo(path.rsplit("/", 1)[1])
        return self._error(404, "Not Found")

    def _body(self) -> bytes:
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def _push(self):
        """Answer each record by UUID: created the first time, duplicate after; `refuse` rejects."""
        results = []
        for record in json.loads(self._body())["records"]:
            self.state.pushes.append(record)
            uuid, code = record["uuid"], self.state.refuse.get(record["type"])
            if code:
                results.append({"uuid": uuid, "status": "rejected", "code": code, "reason": code})
                continue
            status = "duplicate" if uuid in self.state.records else "created"
            self.state.records.setdefault(uuid, record)
            results.append({"uuid": uuid, "status": status, "id": len(self.state.records)})
        self._json(200, {"results": results, "clock_skew_seconds": 0})

    def _photo(self, sha: str):
        if self.command == "PUT":
            self.state.photos[sha] = self._body()
            return self._json(201, {"sha256": sha, "created": True})
        if sha in self.state.photos:
            return self._send(200, b"", "image/png")
        return self._error(404, "Not Found")

    def _login(self):
        data = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        if USERS.get(data.get("username")) != data.get("password"):
            return self._error(401, "Wrong username or password")
        token, csrf = secrets.token_hex(16), secrets.token_hex(16)
        self.state.sessions[token] = csrf
        self._json(
            200,
            {"user": USER, "csrf_token": csrf},
            headers={"Set-Cookie": f"session={token}; Path=/; HttpOnly; SameSite=Lax"},
        )


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
