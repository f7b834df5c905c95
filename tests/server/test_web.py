"""The server serves the field app: shell for navigations, service worker, every precached file."""

import json
import re

import pytest

from pwa.precache import OFFICE_PAGES


def fetch(client, url):
    """GET and close: file responses stream, and an unclosed one is a ResourceWarning."""
    response = client.get(url)
    response.get_data()
    response.close()
    return response


@pytest.mark.parametrize(
    "path", ["/", "/d/GZ0B9D57", "/D/GZ0B9D57", "/scan", "/visit/summary", "/outbox"]
)
def test_navigations_get_the_shell(client, path):
    response = fetch(client, path)
    assert response.status_code == 200
    assert b"<html" in response.data and response.headers["Cache-Control"] == "no-cache"


def test_unknown_api_path_is_a_json_404_not_the_shell(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.is_json


def test_service_worker_scope_and_caching(client):
    response = fetch(client, "/sw.js")
    assert response.status_code == 200
    assert response.mimetype == "text/javascript"
    assert response.headers["Service-Worker-Allowed"] == "/"
    assert response.headers["Cache-Control"] == "no-cache"


def test_every_precached_file_is_served_with_the_right_type(client):
    script = client.get("/static/precache-manifest.js").get_data(as_text=True)
    entries = json.loads(re.search(r"__XJ_PRECACHE = (\[.*\]);", script, re.S).group(1))
    urls = {e["url"] for e in entries}
    assert "/static/index.html" in urls and any(u.endswith(".wasm") for u in urls)
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200, url
        if url.endswith(".wasm"):
            assert response.mimetype == "application/wasm"
        if url.endswith(".js"):
            assert response.mimetype == "text/javascript"


def test_manifest_type(client):
    assert fetch(client, "/manifest.webmanifest").mimetype == "application/manifest+json"


def test_no_file_outside_static_is_served(client):
    assert client.get("/static/../server/config.py").status_code == 404


def test_supervisor_pages_stay_out_of_the_field_app_cache(client):
    script = fetch(client, "/static/precache-manifest.js").get_data(as_text=True)
    for folder in ("labels", "coverage", "faults", "assessment"):
        assert f"/static/{folder}/" not in script
    page = fetch(client, "/labels")
    assert page.status_code == 200 and b"labels" in page.data


def test_office_pages_are_listed_once_and_reach_the_worker_through_the_manifest(client):
    from server.web import SUPERVISOR_PAGES

    script = fetch(client, "/static/precache-manifest.js").get_data(as_text=True)
    pages = json.loads(re.search(r"__XJ_OFFICE_PAGES = (\[.*?\]);", script, re.S).group(1))
    assert pages == list(SUPERVISOR_PAGES)
    sw = fetch(client, "/sw.js").get_data(as_text=True)
    assert "__XJ_OFFICE_PAGES" in sw
    for name in (
        *SUPERVISOR_PAGES,
        "admin",
    ):  # no second copy of the list, no page that does not exist
        assert f"/^\\/{name}/" not in sw


# The endpoint each office page cannot work without: its roles are the page's roles.
PAGE_ENDPOINTS = {
    "dashboard": ("GET", "/api/v1/dashboard"),
    "coverage": ("GET", "/api/v1/coverage"),
    "faults": ("GET", "/api/v1/faults"),
    "labels": ("POST", "/api/v1/labels/print"),
    "assessment": ("GET", "/api/v1/assessment/events"),
    "reports": ("GET", "/api/v1/reports"),
    "handover": ("GET", "/api/v1/handover"),
    "devices": ("GET", "/api/v1/devices/<tag>"),
    "registry": ("GET", "/api/v1/sites"),
    "people": ("POST", "/api/v1/auth/password"),
    "desk": ("POST", "/api/v1/faults/<int:fault_id>/close"),
    "audit": ("GET", "/api/v1/audit"),
    "meetings": ("GET", "/api/v1/meetings"),
    "review": ("GET", "/api/v1/sync/conflicts"),
    "reminders": ("GET", "/api/v1/reminders/rules"),
    "fileimport": ("POST", "/api/v1/sync/imports"),
}


def test_the_top_bar_links_a_page_only_for_the_roles_its_endpoint_admits(client):
    from pwa.precache import OFFICE_PAGE_ROLES, OFFICE_PAGES
    from tests.server.api.test_permissions import MATRIX

    assert set(OFFICE_PAGE_ROLES) == set(OFFICE_PAGES) == set(PAGE_ENDPOINTS)
    for page, endpoint in PAGE_ENDPOINTS.items():
        assert set(OFFICE_PAGE_ROLES[page]) == set(MATRIX[endpoint]), page
    script = fetch(client, "/static/precache-manifest.js").get_data(as_text=True)
    roles = json.loads(re.search(r"__XJ_OFFICE_ROLES = (\{.*?\});", script, re.S).group(1))
    assert roles == {page: list(who) for page, who in OFFICE_PAGE_ROLES.items()}


def test_a_device_page_url_serves_the_office_device_page(client):
    page = fetch(client, "/devices/GZ3K7M2Q")
    assert page.status_code == 200 and b"/static/devices/devices.js" in page.data
    assert fetch(client, "/devices/A/B").status_code == 200  # the field app's shell: no 404 page


def test_the_computed_manifest_is_not_committed():
    import subprocess
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    tracked = subprocess.run(
        ["git", "ls-files", "pwa/static/precache-manifest.js"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    ignored = subprocess.run(
        ["git", "check-ignore", "-q", "pwa/static/precache-manifest.js"], cwd=root
    )
    assert tracked == "" and ignored.returncode == 0


def test_faults_page_shell_is_served_uncached(client):
    page = fetch(client, "/faults")
    assert page.status_code == 200 and b"/static/faults/faults.js" in page.data
    assert page.headers["Cache-Control"] == "no-cache"


def test_precache_skips_exactly_the_supervisor_pages():
    from pwa.precache import _SKIP_DIRS
    from server.web import SUPERVISOR_PAGES

    assert set(_SKIP_DIRS) == set(SUPERVISOR_PAGES) | {"supervisor"}  # + their shared module


@pytest.mark.parametrize("page", OFFICE_PAGES)
def test_each_office_page_has_the_shared_frame_and_its_own_module(client, page):
    response = fetch(client, f"/{page}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-cache"
    html = response.get_data(as_text=True)
    assert response.mimetype == "text/html"
    assert f'<script type="module" src="/static/{page}/{page}.js"></script>' in html
    assert html.count('href="/static/supervisor/page.css"') == 1
    title = re.search(r"<title>(.+) · 巡检</title>", html)
    h1 = re.search(r'<h1 data-t="title">(.+)</h1>', html)
    assert title and h1 and title.group(1) == h1.group(1), html[:400]
    assert '<p id="message" role="alert" hidden></p>' in html and '<div id="app">' in html
    assert "{%" not in html and "{{" not in html
