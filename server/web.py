"""Serves the field app (PWA): the shell for navigations, its static files and the service worker."""

from __future__ import annotations

import mimetypes
from functools import lru_cache
from pathlib import Path

import jinja2
from flask import Blueprint, Response, abort, send_from_directory
from werkzeug.routing import PathConverter

from pwa.precache import OFFICE_PAGES

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa" / "static"
# Online-only office pages, declared once in pwa/precache.py (which also keeps them out of the
# offline cache and hands them to sw.js through the computed manifest).
SUPERVISOR_PAGES = OFFICE_PAGES
mimetypes.add_type("application/wasm", ".wasm")
mimetypes.add_type("application/manifest+json", ".webmanifest")
mimetypes.add_type("text/javascript", ".js")
mimetypes.add_type("text/javascript", ".mjs")

web = Blueprint("web", __name__)


class ClientRouteConverter(PathConverter):
    """A path the PWA's router owns: anything but the server's own api/ and static/ paths.

    Kept out of the URL map's answer for /api/..., so OPTIONS and 405 name only the methods
    an API route serves (a catch-all GET route would add GET to every one of them).
    """

    regex = r"(?!(?:api|static)(?:/|$))[^/].*?"


@web.record_once
def _add_converter(state) -> None:
    state.app.url_map.converters["client_route"] = ClientRouteConverter


def _no_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-cache"
    return response


@web.route("/")
@web.route("/<client_route:route>")
def shell(route: str = ""):
    """The app shell for every navigation; the client-side router reads the path (e.g. /d/TAG)."""
    return _no_cache(send_from_directory(PWA_DIR, "index.html", max_age=0))


# Each office page's index.html extends supervisor/office.html, the one head and frame.
_OFFICE_TEMPLATES = jinja2.Environment(
    loader=jinja2.FileSystemLoader(PWA_DIR), autoescape=True, auto_reload=True
)


def office_html(page: str) -> str:
    """The page's HTML: the shared head and frame with its title, stylesheets and templates."""
    template = _OFFICE_TEMPLATES.get_template(f"{page}/index.html")
    return template.render(page=page, own_css=(PWA_DIR / page / f"{page}.css").is_file())


@web.route(f"/<any({', '.join(SUPERVISOR_PAGES)}):page>")
def supervisor_page(page: str):
    """An office page's shell; it reads everything through /api/v1 with the user's role."""
    return _no_cache(Response(office_html(page), mimetype="text/html"))


@web.route("/devices/<tag>")
def device_page(tag: str):
    """The office device page of one tag (a label's URL lands here for supervisors and viewers)."""
    return supervisor_page("devices")


@web.route("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope is the whole app."""
    response = _no_cache(send_from_directory(PWA_DIR, "sw.js", max_age=0))
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@web.route("/manifest.webmanifest")
def manifest():
    return send_from_directory(PWA_DIR, "manifest.webmanifest")


@lru_cache(maxsize=1)
def _precache_js() -> str:
    from pwa.precache import build_precache_manifest, render_manifest_js

    return render_manifest_js(build_precache_manifest(PWA_DIR))


@web.route("/static/precache-manifest.js")
def precache_manifest():
    """Computed from the files actually served, so the precache list is never stale."""
    return _no_cache(Response(_precache_js(), mimetype="text/javascript"))


@web.route("/static/<path:filename>")
def static_file(filename: str):
    """Front-end files; all vendored, nothing from a CDN."""
    if not (PWA_DIR / filename).is_file():
        abort(404)
    return send_from_directory(PWA_DIR, filename, max_age=0)
