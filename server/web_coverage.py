"""Serves the supervisor's coverage page (map, tables, planner); its data comes from the API."""
from __future__ import annotations

from flask import Blueprint, send_from_directory

from server.web import PWA_DIR

COVERAGE_DIR = PWA_DIR / "coverage"

coverage_page = Blueprint("coverage_page", __name__)


@coverage_page.route("/coverage")
def page():
    """The page shell; it signs in and reads everything through /api/v1 with the user's role."""
    response = send_from_directory(COVERAGE_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
