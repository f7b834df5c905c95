"""Users: create, update, authenticate."""

from __future__ import annotations

import secrets
from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from server.errors import Conflict, Invalid, NotFound, Unauthorized
from server.extensions import db
from server.models import User, UserSession
from server.models.users import password_matches
from server.services.core import password_reset, passwords, sessions


def _hash_method() -> str | None:
    return current_app.config.get("PASSWORD_HASH_METHOD")


@lru_cache(maxsize=4)
def _dummy_hash(method: str | None) -> str:
    """A hash of nothing anyone knows, made like real ones, to check unknown usernames against."""
    kwargs = {"method": method} if method else {}
    return generate_password_hash(secrets.token_urlsafe(16), **kwargs)


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


def create_user(
    username: str, display_name: str, role: str, password: str, phone: str | None = None
) -> User:
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(
            f"The username '{username}' is taken.", errors={"json": {"username": ["already taken"]}}
        )
    passwords.require_acceptable(password, username)
    user = User(username=username, display_name=display_name, role=role, phone=phone)
    user.set_password(password, _hash_method())
    db.session.add(user)
    db.session.flush()
    return user


def update_user(
    user: User,
    password: str | None = None,
    acting_user_id: int | None = None,
    acting_session: UserSession | None = None,
    **fields,
) -> User:
    """Change fields; a new password or a deactivation ends the user's sessions (all but the
    acting one, when admins change their own password). The last active admin stays one."""
    _keep_an_admin(user, fields)
    if user.id == acting_user_id and (
        fields.get("active") is False or fields.get("role", user.role) != user.role
    ):
        raise Conflict(
            "You cannot disable your own account or change your own role; ask another admin.",
            errors={"json": {"active": ["own account"]}},
            code_name="own_account",
        )
    if password is not None:
        passwords.require_acceptable(password, user.username)
    for key, value in fields.items():
        setattr(user, key, value)
    if password is not None:
        user.set_password(password, _hash_method())
    if password is not None or fields.get("active") is False:
        sessions.revoke_all(user.id, keep=acting_session if user.id == acting_user_id else None)
    db.session.flush()
    return user


def _keep_an_admin(user: User, fields: dict) -> None:
    """Refuse to demote or disable the last active admin: nobody could manage users again."""
    demoted = fields.get("role", user.role) != "admin" or fields.get("active", True) is False
    if user.role != "admin" or not user.active or not demoted:
        return
    others = db.session.scalar(
        sa.select(sa.func.count(User.id)).where(
            User.role == "admin", User.active.is_(True), User.id != user.id
        )
    )
    if not others:
        field = "role" if fields.get("role", user.role) != "admin" else "active"
        raise Conflict(
            f"'{user.username}' is the last active admin; make another user an admin first.",
            errors={"json": {field: ["last active admin"]}},
            code_name="last_admin",
        )


def change_own_password(user: User, new_password: str, session: UserSession | None) -> None:
    """The signed-in user's new password (the current one was checked by the caller); every
    other session of theirs ends, this one stays signed in."""
    passwords.require_acceptable(new_password, user.username, field="new_password")
    if user.check_password(new_password):
        raise Invalid(
            "The new password is the current one; choose another.",
            errors={"json": {"new_password": ["same as the current password"]}},
            code_name="same_password",
        )
    user.set_password(new_password, _hash_method())
    password_reset.clear(user)
    sessions.revoke_all(user.id, keep=session)
    db.session.flush()


def authenticate(username: str, password: str) -> User:
    """The user if the password (or an admin's one-time code, used up here) matches and the
    account is active; one vague error otherwise. A password hash is checked in every case,
    so the time taken tells no one whether the username exists or the account is disabled.
    user.signed_in_by_code says which of the two it was."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None:
        password_matches(_dummy_hash(_hash_method()), password)
        matches = by_code = False
    else:
        matches, by_code = user.check_password(password), False
        if not matches and user.active and (code := password_reset.check(user, password)):
            if code == "expired":
                raise Unauthorized(
                    "This one-time code has expired; ask an administrator for a new one.",
                    code_name="reset_code_expired",
                )
            matches = by_code = True
    if not matches or not user.active:
        raise Unauthorized("Wrong username or password, or the account is disabled.")
    if by_code:
        password_reset.consume(user)
    elif _outdated(user.password_hash):  # the one moment the password itself is at hand
        user.set_password(password, _hash_method())
    user.signed_in_by_code = by_code
    return user


def _outdated(password_hash: str) -> bool:
    """Made with another method or cost than the configured one (Werkzeug's `method$salt$hash`)."""
    method = _hash_method()
    return bool(method) and password_hash.split("$", 1)[0] != method
