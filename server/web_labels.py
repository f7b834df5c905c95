"""The label printing page for supervisors and admins (/labels); its files live in pwa/static/labels/."""
from __future__ import annotations

from flask import Blueprint, send_from_directory

from server.web import PWA_DIR

web_labels = Blueprint("web_labels", __name__)


@web_labels.route("/labels")
def labels_page():
    """The page; it signs in through the API and shows a login form on 401."""
    response = send_from_directory(PWA_DIR / "labels", "index.html", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    return response
