"""Security headers on every answer (pages, API, static files, photos), set in one place.

The pages run no inline script: the only inline <script> is the field app's import map,
which is data, allowed by the hash of its exact text (computed from the served file, so
editing index.html cannot silently break the app). Styles come from stylesheets; the few
styles scripts set go through the CSSOM (element.style), which CSP allows.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import lru_cache
from pathlib import Path

from flask import Flask, current_app, request

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa" / "static"
INLINE_SCRIPT_RE = re.compile(r"<script type=\"importmap\">(.*?)</script>", re.S)

# zxing-wasm compiles WebAssembly ('wasm-unsafe-eval'); photos are previewed from blob: URLs.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' blob: data:",
    "worker-src": "'self' blob:",
    "connect-src": "'self'",
    "object-src": "'none'",
    "frame-ancestors": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
}
# A photo is only ever an image: even a file with HTML appended can run nothing.
PHOTO_POLICY = "sandbox; default-src 'none'"
PHOTO_ENDPOINTS = {"photos.get_photo", "photos.photo_exists"}  # GET and its own HEAD operation
EXTENSIONS = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp"}

HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}
HSTS = "max-age=31536000"


@lru_cache(maxsize=1)
def content_security_policy() -> str:
    """The pages' policy, with the hash of every inline import map in the PWA's HTML files
    (read once: the files change only with a new release, which restarts the server)."""
    hashes = []
    for path in sorted(PWA_DIR.rglob("*.html")):
        for block in INLINE_SCRIPT_RE.findall(path.read_text(encoding="utf-8")):
            digest = base64.b64encode(hashlib.sha256(block.encode("utf-8")).digest()).decode()
            hashes.append(f"'sha256-{digest}'")
    policy = dict(POLICY)
    policy["script-src"] = " ".join([policy["script-src"], *dict.fromkeys(hashes)])
    return "; ".join(f"{key} {value}" for key, value in policy.items())


def page_headers(secure: bool = False) -> dict:
    """Every header an answer carries (also used by the PWA tests' fake server)."""
    headers = {"Content-Security-Policy": content_security_policy(), **HEADERS}
    if secure:
        headers["Strict-Transport-Security"] = HSTS
    return headers


def _add_headers(response):
    secure = request.is_secure or bool(current_app.config.get("SESSION_COOKIE_SECURE"))
    if request.endpoint in PHOTO_ENDPOINTS and response.status_code < 400:
        _photo_headers(response)
    for key, value in page_headers(secure).items():
        response.headers.setdefault(key, value)
    return response


def _photo_headers(response) -> None:
    """Served as the image it is: never sniffed, never run, never a page."""
    sha = (request.view_args or {}).get("sha256", "photo")
    extension = EXTENSIONS.get(response.mimetype, "bin")
    response.headers["Content-Security-Policy"] = PHOTO_POLICY
    response.headers.setdefault("Content-Disposition", f'inline; filename="{sha}.{extension}"')


def install(app: Flask) -> None:
    app.after_request(_add_headers)
