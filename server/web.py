"""Serves the field app (PWA): the shell for navigations, its static files and the service worker."""
from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_from_directory

PWA_DIR = Path(__file__).resolve().parent.parent / "pwa" / "static"

web = Blueprint("web", __name__)


def _shell():
    if not (PWA_DIR / "index.html").exists():
        return ("<!doctype html><meta charset=utf-8><title>巡检</title>"
                "<p>The field app is not built into this checkout.</p>"), 200
    response = send_from_directory(PWA_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response


@web.route("/")
@web.route("/d/<tag>")
@web.route("/D/<tag>")
@web.route("/app/<path:route>")
def shell(tag: str | None = None, route: str | None = None):
    """The app shell; the client-side router reads the path (e.g. a label's /d/TAG)."""
    return _shell()


@web.route("/sw.js")
def service_worker():
    """The service worker, served from the root so its scope is the whole app."""
    response = send_from_directory(PWA_DIR, "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@web.route("/manifest.webmanifest")
def manifest():
    return send_from_directory(PWA_DIR, "manifest.webmanifest", mimetype="application/manifest+json")


@web.route("/static/<path:filename>")
def static_file(filename: str):
    """Front-end files; all vendored, nothing from a CDN."""
    if filename.endswith(".wasm"):
        return send_from_directory(PWA_DIR, filename, mimetype="application/wasm")
    if not (PWA_DIR / filename).is_file():
        abort(404)
    return send_from_directory(PWA_DIR, filename)
