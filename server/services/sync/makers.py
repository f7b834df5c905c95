"""Who made a pushed record: the envelope's `made_by`, checked against the user who pushes it.

A phone can be shared: records are pushed only by the user who made them. A supervisor or an
admin may push (receive) another user's records; the maker stays the author and the receiver
is kept on the receipt (docs/sync.md, "Another user signs in with a full outbox"). A record
without `made_by` (older phones) is the pusher's.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from server.errors import AppError, Forbidden, Invalid
from server.extensions import db
from server.models import User
from server.security import MANAGER_ROLES
from server.storable import storable

FIELD = "made_by"


class OtherUser(AppError):
    """A record made by another user, pushed by someone who may not receive it."""

    status_code = 403
    code_name = "other_user"


def split(raw: dict) -> tuple[dict, Any]:
    """The record without `made_by` (the envelope proper), and `made_by` (None if absent)."""
    if FIELD not in raw:
        return raw, None
    envelope = dict(raw)
    return envelope, envelope.pop(FIELD)


def _plain_name(value: Any) -> bool:
    """A string a username column can be searched for (no NUL, no lone surrogate: PostgreSQL)."""
    return isinstance(value, str) and 0 < len(value) <= 64 and storable(value)


def author_of(made_by: Any, pusher: User, roles: tuple[str, ...]) -> tuple[User, User | None]:
    """(author, received_by) of a record; AppError if the pusher may not send it."""
    if made_by is None or made_by == pusher.username:
        return pusher, None
    if not _plain_name(made_by):
        raise Invalid(
            "made_by is the username of the user who made the record.",
            errors={FIELD: ["not a username"]},
        )
    maker = db.session.scalar(sa.select(User).where(User.username == made_by))
    if maker is None:
        raise Invalid(
            f"No user '{made_by}' made this record on this server; made_by is the "
            "username the phone was signed in with when the record was made.",
            errors={FIELD: ["no such user"]},
        )
    if pusher.role not in MANAGER_ROLES:
        raise OtherUser(
            f"This record was made by {maker.display_name} ({maker.username}), not by "
            f"you: only they can send it. Hand the phone back to them to sign in and "
            "send it, or ask a supervisor to receive it.",
            errors={FIELD: ["another user"]},
        )
    if maker.role not in roles:
        raise Forbidden(
            f"{maker.display_name} ({maker.username}) has the role '{maker.role}', "
            "which may not make this kind of record.",
            errors={FIELD: ["role"]},
        )
    return maker, pusher
