"""Serves the supervisor's faults page (stats, breaches, clocks, spares, swaps, custody); data from the API."""
from __future__ import annotations

from flask import Blueprint, send_from_directory

from server.web import PWA_DIR

FAULTS_DIR = PWA_DIR / "faults"

faults_page = Blueprint("faults_page", __name__)


@faults_page.route("/faults")
def page():
    """The page shell; it signs in and reads everything through /api/v1 with the user's role."""
    response = send_from_directory(FAULTS_DIR, "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
