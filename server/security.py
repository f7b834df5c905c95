"""Who may do what: the roles and role groups (the one place they are declared), the CSRF
check and token, and the Flask-Login user loader (a server-side session, services/core/sessions.py)."""

from __future__ import annotations

import secrets

from flask import Flask, request, session
from flask_login import current_user

from server import errors
from server.extensions import login_manager

ROLES = ("viewer", "engineer", "supervisor", "admin")
ANY_ROLE = ROLES
# Work in the field: push records, raise faults, swap devices, upload photos.
FIELD_ROLES = ("engineer", "supervisor", "admin")
# Manage the others' work: plans, closing faults, receiving, correcting or finishing another
# user's records, seeing every engineer's plan on the phone.
MANAGER_ROLES = ("supervisor", "admin")
ADMIN_ROLES = ("admin",)
# Read the audit log and the label register: the auditor too, not the engineers.
AUDIT_READERS = ("viewer", "supervisor", "admin")
# Who a reminder speaks to (services/reminders): the engineers doing the work, the supervisors
# answering for it.
ENGINEERS = ("engineer",)
SUPERVISORS = ("supervisor",)
ON_DUTY = ("engineer", "supervisor")
# The evidence files background jobs make (handover package, reports): the client's auditor
# receives them, the managers build them; engineers neither.
JOB_READERS = AUDIT_READERS
# The backup runs and their restore checks: the evidence of the assessment's backup item.
BACKUP_READERS = AUDIT_READERS

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# What a user who must choose a new password may still call: who am I, the change, sign-out.
PASSWORD_CHANGE_ALLOWED = {
    ("GET", "/api/v1/auth/me"),
    ("POST", "/api/v1/auth/password"),
    ("POST", "/api/v1/auth/login"),
    ("POST", "/api/v1/auth/logout"),
    ("POST", "/api/v1/auth/logout-all"),
}
CSRF_HEADER = "X-CSRF-Token"


def install(app: Flask) -> None:
    """The user loader, the 401 handler, then the request hooks: the session is settled first
    (services/core/sessions.py), then cookie-authenticated writes are checked for the CSRF token."""
    from server.services.core import sessions

    login_manager.user_loader(sessions.load)  # the cookies carry a session's token, not a user id
    login_manager.unauthorized_handler(_unauthorized)
    sessions.install(app)
    app.before_request(check_csrf)
    app.before_request(check_password_change)


def _unauthorized():
    raise errors.Unauthorized("Sign in first.")


def csrf_token() -> str:
    """The session's CSRF token, made on first use."""
    if "csrf_token" not in session:
        session["csrf_token"] = secrets.token_urlsafe(32)
    return session["csrf_token"]


def check_csrf():
    """Cookie-authenticated writes must echo the session's CSRF token in a header."""
    if request.method not in WRITE_METHODS or not request.path.startswith("/api/"):
        return None
    if not current_user.is_authenticated:
        return None
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent or not secrets.compare_digest(sent, session.get("csrf_token", "")):
        raise errors.AppError(
            f"Missing or stale {CSRF_HEADER} header; read a fresh token from "
            "GET /api/v1/auth/me and send it with every write.",
            code_name="csrf",
        )
    return None


def check_password_change():
    """A user signed in with a one-time code, or with a demo password outside the demo, gets
    403 password_change_required from the API until a new password is chosen."""
    if not request.path.startswith("/api/v1/") or not current_user.is_authenticated:
        return None
    if not current_user.must_change_password:
        return None
    if (request.method, request.path.rstrip("/")) in PASSWORD_CHANGE_ALLOWED:
        return None
    if request.method == "HEAD" and ("GET", request.path) in PASSWORD_CHANGE_ALLOWED:
        return None
    raise errors.Forbidden(
        "Choose a new password first (POST /api/v1/auth/password); until then only that, "
        "GET /api/v1/auth/me and signing out are answered.",
        code_name="password_change_required",
    )
