"""Sign-in sessions kept on the server, so that signing out, a password change, a deactivation
or "sign out everywhere" ends every copy of the cookies.

Flask-Login's session cookie and remember-me cookie carry the session's random token
(User.get_id); the user_session table keeps only its SHA-256. Lifetimes come from the config
(docs/security.md): without remember-me SESSION_IDLE_MINUTES idle and SESSION_LIFETIME_HOURS
in all, with it REMEMBER_IDLE_DAYS and REMEMBER_DAYS. When a remember-me cookie starts a new
browser session its token is rotated; the old one is still accepted for
SESSION_ROTATION_GRACE_SECONDS, for requests the browser sent at the same moment.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import Flask, current_app, g, request, session
from flask_login import current_user, user_loaded_from_cookie
from sqlalchemy import orm

from server.extensions import db
from server.models import User, UserSession, utcnow
from server.services.core import phone_keys

TOUCH_EVERY = timedelta(minutes=1)  # last_seen_at is written once a minute, not every request
KEEP_ENDED = timedelta(days=7)  # ended rows are deleted this long after they ended


def install(app: Flask) -> None:
    """Run before every other request hook (CSRF check, views), and rotate on remember-me use."""
    app.before_request(_settle_session)
    user_loaded_from_cookie.connect(_rotate_remembered, app)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _idle(row: UserSession) -> timedelta:
    config = current_app.config
    if row.remember:
        return timedelta(days=config["REMEMBER_IDLE_DAYS"])
    return timedelta(minutes=config["SESSION_IDLE_MINUTES"])


def _lifetime(remember: bool) -> timedelta:
    config = current_app.config
    if remember:
        return timedelta(days=config["REMEMBER_DAYS"])
    return timedelta(hours=config["SESSION_LIFETIME_HOURS"])


def alive(row: UserSession, now: datetime | None = None) -> bool:
    now = now or utcnow()
    return row.revoked_at is None and now < row.expires_at and now < row.last_seen_at + _idle(row)


def _printable(text: str | None, size: int) -> str | None:
    """Headers are the client's to choose: keep them to printable text that fits the column."""
    return "".join(ch for ch in (text or "") if ch.isprintable())[:size] or None


def start(user: User, remember: bool, by_reset_code: bool = False) -> UserSession:
    """A new session for the user; its token is left on user.session_token for login_user.
    `by_reset_code`: signed in with an admin's one-time code (the new password needs no old one)."""
    now = utcnow()
    token = secrets.token_urlsafe(32)
    row = UserSession(
        user=user,
        token_hash=_hash(token),
        remember=remember,
        by_reset_code=by_reset_code,
        created_at=now,
        last_seen_at=now,
        expires_at=now + _lifetime(remember),
        user_agent=_printable(request.user_agent.string, 256),
        address=_printable(request.remote_addr, 64),
    )
    db.session.add(row)
    cutoff = now - KEEP_ENDED
    db.session.execute(
        sa.delete(UserSession).where(
            sa.or_(UserSession.revoked_at < cutoff, UserSession.expires_at < cutoff)
        )
    )
    db.session.flush()
    user.session_token = token
    g.user_session = row
    return row


# The session and its user in one query (every signed-in request runs it), built once.
_BY_TOKEN = (
    sa.select(UserSession)
    .options(orm.joinedload(UserSession.user, innerjoin=True))
    .where(
        sa.or_(
            UserSession.token_hash == sa.bindparam("digest"),
            UserSession.previous_token_hash == sa.bindparam("digest"),
        )
    )
)


def load(token: str) -> User | None:
    """The user_loader: the session's user while the session is alive, else None (signed out)."""
    g.user_session, g.user_session_by_current_token = None, False
    now, digest = utcnow(), _hash(token)
    row = db.session.scalar(_BY_TOKEN, {"digest": digest})
    if row is None or not alive(row, now) or not row.user.active:
        return None
    by_current = row.token_hash == digest
    grace = timedelta(seconds=current_app.config["SESSION_ROTATION_GRACE_SECONDS"])
    if not by_current and not (row.rotated_at and now < row.rotated_at + grace):
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    row.user.session_token = token
    g.user_session, g.user_session_by_current_token = row, by_current
    return row.user


def _rotate_remembered(sender, user: User, **extra) -> None:
    """A remember-me cookie has just started a browser session: give it a new token, so a
    copied cookie stops working once the real owner comes back (and the other way round)."""
    row = g.get("user_session")
    if row is None or not row.remember or not g.get("user_session_by_current_token"):
        return
    token = secrets.token_urlsafe(32)
    row.previous_token_hash, row.token_hash, row.rotated_at = row.token_hash, _hash(token), utcnow()
    user.session_token = token
    session["_user_id"] = token  # Flask-Login re-sets the remember cookie from this
    session["_remember"] = "set"
    session["_remember_seconds"] = max(1, int((row.expires_at - utcnow()).total_seconds()))


def _settle_session() -> None:
    """Resolve the signed-in session before any view runs and commit what that changed
    (last seen, a rotated token) on its own: a rotation sent in the cookies must be stored
    even when the request itself then fails and is rolled back."""
    g.pop("user_session", None)
    cookie = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
    if "_user_id" in session or cookie in request.cookies:
        current_user._get_current_object()
        if db.session.dirty:
            db.session.commit()


def current() -> UserSession | None:
    """The session of the signed-in request (None when anonymous)."""
    return g.get("user_session") if current_user.is_authenticated else None


def revoke(row: UserSession | None) -> None:
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        phone_keys.revoke_for_sessions([row.id])  # its file-signing key ends with it


def revoke_token(token: str | None) -> None:
    """End the session a cookie names, if any (signing in again ends the browser's old one)."""
    if token:
        revoke(
            db.session.scalar(sa.select(UserSession).where(UserSession.token_hash == _hash(token)))
        )


def revoke_all(user_id: int, keep: UserSession | None = None) -> None:
    """End every session of the user, except `keep` (the one asking, after its own password change)."""
    query = sa.update(UserSession).where(
        UserSession.user_id == user_id, UserSession.revoked_at.is_(None)
    )
    if keep is not None:
        query = query.where(UserSession.id != keep.id)
    db.session.execute(query.values(revoked_at=utcnow()))
    phone_keys.revoke_for_user(user_id, keep.id if keep is not None else None)


def alive_sessions(user_id: int) -> list[UserSession]:
    """The user's sessions that still sign in, the most recently used first."""
    rows = db.session.scalars(
        sa.select(UserSession)
        .where(UserSession.user_id == user_id, UserSession.revoked_at.is_(None))
        .order_by(UserSession.last_seen_at.desc(), UserSession.id.desc())
    ).all()
    now = utcnow()
    return [row for row in rows if alive(row, now)]
