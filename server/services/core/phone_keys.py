"""The signing keys phones get at sign-in (docs/handover-file.md): issued per phone and user,
kept encrypted, revoked with the session that got them.

Why encrypted and not hashed: verifying an HMAC needs the secret itself, so a hash would make
the key useless. The secret is sealed with AES-GCM under a key derived from SECRET_KEY (the
key id as associated data, so a sealed secret cannot be moved to another row): a leaked
database dump alone signs nothing. Rotating SECRET_KEY makes the old keys unreadable; their
files are then refused as `handfile_unknown_key` and the phone, signed in again, exports anew.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

import sqlalchemy as sa
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from flask import current_app

from server.extensions import db
from server.models import PhoneKey, User, UserSession, utcnow

PHONE_ID_RE = r"^[0-9A-Za-z_-]{1,64}$"


def _sealing_key() -> bytes:
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, b"xunjian phone-key sealing v1", hashlib.sha256).digest()


def _seal(key_id: str, secret: bytes) -> str:
    nonce = secrets.token_bytes(12)
    sealed = AESGCM(_sealing_key()).encrypt(nonce, secret, key_id.encode())
    return "v1." + base64.urlsafe_b64encode(nonce + sealed).decode()


def secret_of(row: PhoneKey) -> bytes | None:
    """The raw secret, or None when it cannot be unsealed (SECRET_KEY changed, row altered)."""
    version, _, body = row.secret.partition(".")
    if version != "v1":
        return None
    try:
        raw = base64.urlsafe_b64decode(body)
        return AESGCM(_sealing_key()).decrypt(raw[:12], raw[12:], row.key_id.encode())
    except (InvalidTag, ValueError):
        return None


def issue(user: User, session: UserSession | None, phone_id: str) -> tuple[PhoneKey, str]:
    """A new key for this phone and user; returns the row and the secret (base64url) to hand
    to the phone once, in the sign-in answer."""
    secret = secrets.token_bytes(32)
    key_id = "k-" + secrets.token_hex(12)
    row = PhoneKey(
        key_id=key_id,
        user_id=user.id,
        phone_id=phone_id,
        session_id=session.id if session is not None else None,
        secret=_seal(key_id, secret),
    )
    db.session.add(row)
    db.session.flush()
    return row, encode(secret)


def encode(secret: bytes) -> str:
    return base64.urlsafe_b64encode(secret).decode().rstrip("=")


def by_key_id(key_id: str) -> PhoneKey | None:
    return db.session.scalar(sa.select(PhoneKey).where(PhoneKey.key_id == key_id))


def revoke_for_sessions(session_ids) -> None:
    """Revoke the keys the given sessions got (sign-out, an ended session, a lost phone)."""
    ids = [i for i in session_ids if i is not None]
    if ids:
        db.session.execute(
            sa.update(PhoneKey)
            .where(PhoneKey.session_id.in_(ids), PhoneKey.revoked_at.is_(None))
            .values(revoked_at=utcnow())
        )


def revoke_for_user(user_id: int, keep_session_id: int | None = None) -> None:
    """Revoke every key of the user (sign out everywhere, password change, deactivation), but
    the one of the session kept."""
    query = sa.update(PhoneKey).where(PhoneKey.user_id == user_id, PhoneKey.revoked_at.is_(None))
    if keep_session_id is not None:
        query = query.where(
            sa.or_(PhoneKey.session_id.is_(None), PhoneKey.session_id != keep_session_id)
        )
    db.session.execute(query.values(revoked_at=utcnow()))
