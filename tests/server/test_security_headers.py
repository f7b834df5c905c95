"""Security headers on every answer, and photos served so no browser can run them."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest

from tests.server.api.test_photos import jpeg, sha

PWA = Path(__file__).resolve().parents[2] / "pwa" / "static"
ANSWERS = [
    "/",
    "/d/GZ0B9D57",
    "/coverage",
    "/faults",
    "/labels",
    "/sw.js",
    "/manifest.webmanifest",
    "/static/js/main.js",
    "/static/css/app.css",
    "/static/precache-manifest.js",
    "/api/v1/health",
    "/api/v1/auth/me",
    "/api/v1/no-such-thing",
    "/api/openapi.json",
]


def get(client, url, **kw):
    response = client.get(url, **kw)
    response.get_data()
    response.close()
    return response


def directives(response) -> dict:
    policy = response.headers["Content-Security-Policy"]
    return {part.split()[0]: part.split()[1:] for part in policy.split("; ")}


@pytest.mark.parametrize("url", ANSWERS)
def test_every_answer_carries_the_headers(client, url):
    response = get(client, url)
    headers = response.headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=(self)" in headers["Permissions-Policy"]
    assert "geolocation=(self)" in headers["Permissions-Policy"]
    assert "microphone=()" in headers["Permissions-Policy"]
    assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS would be ignored anyway
    policy = directives(response)
    assert policy["default-src"] == ["'self'"] and policy["frame-ancestors"] == ["'none'"]
    assert policy["connect-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"] and policy["object-src"] == ["'none'"]
    assert policy["img-src"] == ["'self'", "blob:", "data:"]
    assert policy["worker-src"] == ["'self'", "blob:"]
    assert policy["style-src"] == ["'self'"]
    assert (
        "'unsafe-inline'" not in policy["script-src"]
        and "'unsafe-eval'" not in policy["script-src"]
    )
    assert policy["script-src"][:2] == ["'self'", "'wasm-unsafe-eval'"]


def test_the_only_inline_script_is_the_import_map_allowed_by_its_hash(client):
    html = (PWA / "index.html").read_text(encoding="utf-8")
    blocks = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    inline = [body for attrs, body in blocks if "src=" not in attrs]
    assert len(inline) == 1 and 'type="importmap"' in html
    digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
    assert directives(get(client, "/"))["script-src"][2:] == [f"'sha256-{digest}'"]
    for page in PWA.rglob("*.html"):  # no style="" or <style> in any page, no inline handler
        text = page.read_text(encoding="utf-8")
        assert not re.search(r"<style|\sstyle=|\son[a-z]+=", text), page


@pytest.mark.parametrize("how", ["https", "secure_cookies"])
def test_hsts_only_under_https(app, client, how):
    if how == "https":
        response = get(client, "/api/v1/health", base_url="https://xj.example.cn")
    else:
        app.config["SESSION_COOKIE_SECURE"] = True
        try:
            response = get(client, "/api/v1/health")
        finally:
            app.config["SESSION_COOKIE_SECURE"] = False
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


@pytest.fixture
def store_dir(app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")
    return tmp_path / "photos"


def test_a_jpeg_with_html_appended_is_served_as_an_inert_image(auth, store_dir):
    data = jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"
    name = sha(data)
    # The stored bytes stay exactly the phone's (content-addressed); serving makes them harmless.
    assert (
        auth("engineer")
        .put(f"/api/v1/photos/{name}", data=data, content_type="image/jpeg")
        .status_code
        == 201
    )
    viewer = auth("viewer")
    for method in ("GET", "HEAD"):
        response = viewer.open(method, f"/api/v1/photos/{name}")
        body = response.get_data()
        response.close()
        assert response.status_code == 200
        assert response.headers["Content-Type"] == "image/jpeg"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Content-Security-Policy"] == "sandbox; default-src 'none'"
        assert response.headers["Content-Disposition"] == f'inline; filename="{name}.jpg"'
        assert body == (data if method == "GET" else b"")


def test_a_missing_photo_is_a_json_404_with_the_page_policy(auth, store_dir):
    response = auth("viewer").get(f"/api/v1/photos/{'a' * 64}")
    assert response.status_code == 404 and response.is_json
    assert "Content-Disposition" not in response.headers
    assert response.headers["X-Content-Type-Options"] == "nosniff"
