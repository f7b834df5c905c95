"""Users with a role; passwords are only ever stored hashed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask_login import UserMixin
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from server.models.base import Base, Timestamped, utcnow


class User(UserMixin, Timestamped, Base):
    __tablename__ = "user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64), unique=True)
    display_name: Mapped[str] = mapped_column(sa.String(64))
    role: Mapped[str] = mapped_column(sa.String(16))
    password_hash: Mapped[str] = mapped_column(sa.String(256))
    active: Mapped[bool] = mapped_column(default=True)
    phone: Mapped[str | None] = mapped_column(sa.String(32))
    # Set by an admin's one-time code and by a demo user outside demo mode: until a new
    # password is chosen the API answers only the own-password change (server/security.py).
    must_change_password: Mapped[bool] = mapped_column(default=False, server_default=sa.false())
    # An admin's one-time sign-in code (server/services/core/password_reset.py): SHA-256 only.
    reset_code_hash: Mapped[str | None] = mapped_column(sa.String(64))
    reset_code_expires_at: Mapped[datetime | None]

    def set_password(self, password: str, method: str | None = None) -> None:
        kwargs = {"method": method} if method else {}
        self.password_hash = generate_password_hash(password, **kwargs)

    def check_password(self, password: str) -> bool:
        return password_matches(self.password_hash, password)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        """What Flask-Login puts in the session and remember-me cookies: the token of this
        sign-in (server/services/core/sessions.py), never the user id, so that ending the session
        on the server ends every copy of the cookies."""
        token = getattr(self, "session_token", None)
        if not token:
            raise RuntimeError("no sign-in session; sign in through server.services.core.sessions")
        return token


def password_matches(password_hash: str, password: str) -> bool:
    return check_password_hash(password_hash, password)


class UserSession(Base):
    """One sign-in. The cookies carry a random token; only its SHA-256 is kept here, so
    the table alone signs no one in. Revoked or expired rows sign nobody in."""

    __tablename__ = "user_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("user.id"), index=True)
    token_hash: Mapped[str] = mapped_column(sa.String(64), unique=True)
    # The token before the last rotation, still accepted for a short grace (parallel requests).
    previous_token_hash: Mapped[str | None] = mapped_column(sa.String(64), index=True)
    rotated_at: Mapped[datetime | None]
    remember: Mapped[bool]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    user_agent: Mapped[str | None] = mapped_column(sa.String(256))
    address: Mapped[str | None] = mapped_column(sa.String(64))
    # Started with a one-time code: the new password may be set without the current one.
    by_reset_code: Mapped[bool] = mapped_column(default=False, server_default=sa.false())

    user: Mapped[User] = relationship()


class LoginFailure(Base):
    """A failed sign-in, kept for a while so password guessing can be slowed down."""

    __tablename__ = "login_failure"
    __table_args__ = (
        sa.Index("ix_login_failure_username_at", "username", "at"),
        sa.Index("ix_login_failure_address_at", "address", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(sa.String(64))  # as typed, lower-cased
    address: Mapped[str] = mapped_column(sa.String(64))
    at: Mapped[datetime] = mapped_column(default=utcnow)
