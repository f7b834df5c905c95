"""Sign-in with a brake on password guessing, answered 429 with Retry-After while it holds.

Two brakes (limits from the config, docs/security.md):
- an account that failed LOGIN_FAILURES_PER_ACCOUNT times within LOGIN_FAILURE_WINDOW_MINUTES
  waits, even with the right password (a success clears its count);
- a network address from which LOGIN_ACCOUNTS_PER_ADDRESS *different* accounts failed within
  LOGIN_ADDRESS_WINDOW_MINUTES waits. Counting accounts, not failures, keeps one person's typos
  from locking a whole county office behind one NAT address, while spraying many accounts
  from one address is still stopped.
The address is the TCP peer unless PROXY_FIX_X_FOR says how many proxies to believe.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app

from server.errors import Invalid, TooManyAttempts, Unauthorized
from server.extensions import db
from server.models import LoginFailure, User, utcnow
from server.services.core import users


def sign_in(username: str, password: str, address: str | None) -> User:
    """The user, or 401 (the failure is remembered), or 429 while a brake holds."""
    account, address = username.strip().lower()[:64], (address or "unknown")[:64]
    _check(account, address)
    try:
        user = users.authenticate(username, password)
    except Unauthorized:
        _remember_failure(account, address)
        raise
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.username == account))
    return user


def confirm_password(user: User, password: str, address: str | None, field: str) -> None:
    """A signed-in user re-typing their password (to change it) meets the same brake, so a
    borrowed session cannot be used to guess the password."""
    account, address = user.username, (address or "unknown")[:64]
    _check(account, address)
    if not user.check_password(password):
        _remember_failure(account, address)
        raise Invalid(
            "The current password is wrong.",
            errors={"json": {field: ["wrong password"]}},
            code_name="wrong_password",
        )


def _minutes(setting: str) -> timedelta:
    return timedelta(minutes=current_app.config[setting])


def _account_wait(account: str, now: datetime) -> float:
    """Seconds until the account may try again (0: now). It is locked while the window holds
    `limit` failures, so it is free once the limit-th newest leaves the window."""
    window, limit = (
        _minutes("LOGIN_FAILURE_WINDOW_MINUTES"),
        current_app.config["LOGIN_FAILURES_PER_ACCOUNT"],
    )
    times = db.session.scalars(
        sa.select(LoginFailure.at)
        .where(LoginFailure.username == account, LoginFailure.at >= now - window)
        .order_by(LoginFailure.at.desc())
        .limit(limit)
    ).all()
    return (times[-1] + window - now).total_seconds() if len(times) >= limit else 0


def _address_wait(address: str, now: datetime) -> float:
    """Seconds until the address may try again: as above, over each account's latest failure."""
    window, limit = (
        _minutes("LOGIN_ADDRESS_WINDOW_MINUTES"),
        current_app.config["LOGIN_ACCOUNTS_PER_ADDRESS"],
    )
    latest = sa.func.max(LoginFailure.at)
    times = db.session.scalars(
        sa.select(latest)
        .where(LoginFailure.address == address, LoginFailure.at >= now - window)
        .group_by(LoginFailure.username)
        .order_by(latest.desc())
        .limit(limit)
    ).all()
    return (times[-1] + window - now).total_seconds() if len(times) >= limit else 0


def _check(account: str, address: str) -> None:
    now = utcnow()
    for wait, reason in (
        (_account_wait(account, now), "Too many failed sign-ins for this account."),
        (
            _address_wait(address, now),
            "Too many different accounts failed to sign in from this network address.",
        ),
    ):
        if wait > 0:
            seconds = math.ceil(wait)
            minutes = max(1, math.ceil(seconds / 60))
            raise TooManyAttempts(
                f"{reason} Wait {minutes} minute(s) and try again, or ask an administrator to "
                "check the account.",
                retry_after=seconds,
                errors={"json": {"username": [f"locked for {minutes} minute(s)"]}},
            )


def _remember_failure(account: str, address: str) -> None:
    """Kept although the answer is an error: the request boundary rolls errors back, so this
    is the one place that commits on its own (the sign-in itself only read)."""
    db.session.add(LoginFailure(username=account, address=address))
    oldest = 2 * max(
        _minutes("LOGIN_FAILURE_WINDOW_MINUTES"), _minutes("LOGIN_ADDRESS_WINDOW_MINUTES")
    )
    db.session.execute(sa.delete(LoginFailure).where(LoginFailure.at < utcnow() - oldest))
    db.session.commit()
