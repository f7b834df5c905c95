"""Sign-in with a brake on password guessing: an account, or a network address, that failed too
often within a window must wait (429) before trying again, even with the right password.

Limits come from the app config (LOGIN_FAILURES_PER_ACCOUNT, LOGIN_FAILURES_PER_ADDRESS,
LOGIN_FAILURE_WINDOW_MINUTES). Behind a reverse proxy the address is the proxy's unless the
deployment sets ProxyFix; the per-account limit holds either way.
"""
from __future__ import annotations

import math
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app

from server.errors import TooManyAttempts, Unauthorized
from server.extensions import db
from server.models import LoginFailure, User, utcnow
from server.services import users


def sign_in(username: str, password: str, address: str) -> User:
    """The user, or 401 (the failure is remembered), or 429 while the brake holds."""
    account, address = username.strip().lower()[:64], (address or "unknown")[:64]
    _check(account, address)
    try:
        user = users.authenticate(username, password)
    except Unauthorized:
        _remember_failure(account, address)
        raise
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == account))
    return user


def _window() -> timedelta:
    return timedelta(minutes=current_app.config.get("LOGIN_FAILURE_WINDOW_MINUTES", 15))


def _check(account: str, address: str) -> None:
    now = utcnow()
    since = now - _window()
    limits = ((LoginFailure.username, account, "LOGIN_FAILURES_PER_ACCOUNT", 5, "this account"),
              (LoginFailure.address, address, "LOGIN_FAILURES_PER_ADDRESS", 30, "this network address"))
    for column, key, setting, default, what in limits:
        count, oldest = db.session.execute(
            sa.select(sa.func.count(), sa.func.min(LoginFailure.at))
            .where(column == key, LoginFailure.at >= since)).one()
        if count >= current_app.config.get(setting, default):
            minutes = max(1, math.ceil((oldest + _window() - now).total_seconds() / 60))
            raise TooManyAttempts(
                f"Too many failed sign-ins for {what}. Wait {minutes} minute(s) and try again, "
                "or ask an administrator to check the account.",
                errors={"json": {"username": [f"locked for {minutes} minute(s)"]}}, retry_after=minutes * 60)


def _remember_failure(account: str, address: str) -> None:
    """Kept although the answer is an error: the request boundary rolls errors back, so this
    is the one place that commits on its own (the sign-in itself only read)."""
    db.session.add(LoginFailure(username=account, address=address))
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < utcnow() - 2 * _window()))
    db.session.commit()
