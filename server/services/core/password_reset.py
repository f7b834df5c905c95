"""An admin's one-time sign-in code for a user who forgot the password (docs/security.md).

The code is shown once to the admin and kept only as its SHA-256 (it is random, 60 bits, and
the sign-in brake slows guessing); it works once, for RESET_CODE_HOURS. Issuing one ends the
user's sessions and replaces the old password by a random one nobody knows, so a stolen
password stops working too; the user signs in with the code and must choose a new password.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

from flask import current_app

from server.errors import Conflict
from server.extensions import db
from server.models import User, utcnow
from server.services.core import sessions

ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud or off a screen
GROUPS, GROUP_SIZE = 3, 4


def _digest(code: str) -> str:
    plain = "".join(ch for ch in code.upper() if ch.isalnum())
    return hashlib.sha256(plain.encode("utf-8", "replace")).hexdigest()


def issue(user: User, acting_user_id: int | None) -> tuple[str, datetime]:
    """A new code for the user (any earlier one stops working), and when it expires."""
    if user.id == acting_user_id:
        raise Conflict(
            "You cannot reset your own password with a code; change it on the people page.",
            errors={"json": {"user_id": ["own account"]}},
            code_name="own_account",
        )
    if not user.active:
        raise Conflict(
            f"The account '{user.username}' is disabled; enable it first.",
            errors={"json": {"user_id": ["disabled"]}},
            code_name="user_inactive",
        )
    code = "-".join(
        "".join(secrets.choice(ALPHABET) for _ in range(GROUP_SIZE)) for _ in range(GROUPS)
    )
    expires = utcnow() + timedelta(hours=current_app.config["RESET_CODE_HOURS"])
    user.reset_code_hash, user.reset_code_expires_at = _digest(code), expires
    user.must_change_password = True
    method = current_app.config.get("PASSWORD_HASH_METHOD")
    user.set_password(secrets.token_urlsafe(32), method)
    sessions.revoke_all(user.id)
    db.session.flush()
    return code, expires


def check(user: User, typed: str) -> str | None:
    """ "valid" or "expired" when the typed text is the user's code, else None."""
    if not user.reset_code_hash or not hmac.compare_digest(user.reset_code_hash, _digest(typed)):
        return None
    if user.reset_code_expires_at is None or utcnow() >= user.reset_code_expires_at:
        return "expired"
    return "valid"


def consume(user: User) -> None:
    """The code has signed the user in once: it never works again."""
    user.reset_code_hash = user.reset_code_expires_at = None


def clear(user: User) -> None:
    """A new password was chosen: nothing more is owed."""
    consume(user)
    user.must_change_password = False
