"""Users: create, update, authenticate."""
from __future__ import annotations

import sqlalchemy as sa
from flask import current_app

from server.errors import Conflict, NotFound, Unauthorized
from server.extensions import db
from server.models import User


def _hash_method() -> str | None:
    return current_app.config.get("PASSWORD_HASH_METHOD")


def get_user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound(f"No user {user_id}.")
    return user


def create_user(username: str, display_name: str, role: str, password: str,
                phone: str | None = None) -> User:
    if db.session.scalar(sa.select(User.id).where(User.username == username)):
        raise Conflict(f"The username '{username}' is taken.",
                       errors={"json": {"username": ["already taken"]}})
    user = User(username=username, display_name=display_name, role=role, phone=phone)
    user.set_password(password, _hash_method())
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, password: str | None = None, acting_user_id: int | None = None,
                **fields) -> User:
    if user.id == acting_user_id and (fields.get("active") is False
                                      or fields.get("role", user.role) != user.role):
        raise Conflict("You cannot disable your own account or change your own role; "
                       "ask another admin.", errors={"json": {"active": ["own account"]}})
    for key, value in fields.items():
        setattr(user, key, value)
    if password:
        user.set_password(password, _hash_method())
    db.session.flush()
    return user


def authenticate(username: str, password: str) -> User:
    """The user if the password matches and the account is active; one vague error otherwise."""
    user = db.session.scalar(sa.select(User).where(User.username == username))
    if user is None or not user.active or not user.check_password(password):
        raise Unauthorized("Wrong username or password, or the account is disabled.")
    return user
