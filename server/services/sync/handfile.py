"""The hand-over file and its receipt (docs/handover-file.md): read and verify a phone's file
whole before anything is written, and write the signed receipt.

A file is JSON lines: the manifest (records exactly as a push sends them, the photos' SHA-256),
one line per photo, and the signature line: HMAC-SHA256 with the phone's key over the
manifest line's exact bytes (no re-serialising, so the phone and the server never disagree on
JSON). The photos' hashes are in the manifest, so the MAC covers their bytes too.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import io
import json
import tempfile
from dataclasses import dataclass, field

import marshmallow as ma
from flask import current_app

from server.errors import Invalid
from server.models import PhoneKey, User
from server.services.core import phone_keys, photo_checks

FORMAT, RECEIPT_FORMAT, VERSION = "xunjian-handfile", "xunjian-handfile-receipt", 1
FILE_DOMAIN = b"xunjian-handfile-v1\n"  # what the MAC is over: this, then the manifest line
RECEIPT_DOMAIN = b"xunjian-handfile-receipt-v1\n"  # a receipt is never taken for a file
MAX_RECORDS = 20_000
SPOOL_BYTES = 8 * 1024 * 1024  # photo bytes kept in memory while a file is read; then a temp file


class HandFileError(Invalid):
    """The file is refused whole; code_name says what is wrong (words: err_<code_name>)."""

    def __init__(self, code: str, message: str, **params):
        super().__init__(message, errors={"file": [message], "params": params}, code_name=code)


class _User(ma.Schema):
    id = ma.fields.Integer(required=True, strict=True)
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))


class _Photo(ma.Schema):
    sha256 = ma.fields.String(required=True, validate=ma.validate.Regexp(r"^[0-9a-f]{64}$"))
    size = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Range(min=1))
    content_type = ma.fields.String(required=True, validate=ma.validate.Length(max=32))


class Manifest(ma.Schema):
    format = ma.fields.String(required=True, validate=ma.validate.Equal(FORMAT))
    version = ma.fields.Integer(required=True, strict=True, validate=ma.validate.Equal(VERSION))
    key_id = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=40))
    phone_id = ma.fields.String(required=True, validate=ma.validate.Regexp(phone_keys.PHONE_ID_RE))
    user = ma.fields.Nested(_User, required=True)
    created_at = ma.fields.String(required=True, validate=ma.validate.Length(max=40))
    app_version = ma.fields.String(load_default=None, allow_none=True)
    records = ma.fields.List(
        ma.fields.Dict(), required=True, validate=ma.validate.Length(max=MAX_RECORDS)
    )
    photos = ma.fields.List(ma.fields.Nested(_Photo), required=True)


@dataclass
class Verified:
    """A file that passed every check: its key, the key's user and what it carries."""

    key: PhoneKey
    user: User
    manifest: dict
    # sha -> (content type, offset, size) of its bytes in `spool`
    photos: dict[str, tuple[str, int, int]] = field(default_factory=dict)
    sha256: str = ""
    spool: object = None

    def photo_bytes(self, sha: str, offset: int | None = None, size: int | None = None) -> bytes:
        """One photo's bytes, read back from the spool (one photo in memory at a time)."""
        if offset is None:
            _type, offset, size = self.photos[sha]
        self.spool.seek(offset)
        return self.spool.read(size)

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()


def mac(secret: bytes, domain: bytes, line: bytes) -> str:
    return hmac.new(secret, domain + line, hashlib.sha256).hexdigest()


def _json_line(line: bytes, what: str):
    try:
        return json.loads(line)
    except ValueError:
        raise HandFileError(
            "handfile_malformed",
            f"Line {what} of the file is not JSON: the file was altered.",
            line=what,
        ) from None


@dataclass
class _Line:
    """A photo line read and decoded on the way (judged after the signature): where its
    bytes are in the spool, their SHA-256, or why it could not be decoded."""

    number: int
    claimed: object
    offset: int = 0
    size: int = 0
    sha256: str = ""
    not_json: bool = False


def _lines(stream, limit: int | None, digest):
    """The stream's lines (each with its newline), hashed as they are read; TooLarge past limit."""
    from server.services.core.photo_store import TooLarge

    total = 0
    while line := stream.readline():
        total += len(line)
        if limit is not None and total > limit:
            raise TooLarge(f"The file has more than {limit} bytes; the limit is {limit}.")
        digest.update(line)
        yield line


def _spool_photo(line: bytes, number: int, spool) -> _Line:
    try:
        item = json.loads(line)
    except ValueError:
        return _Line(number, None, not_json=True)
    claimed = item.get("photo") if isinstance(item, dict) else None
    try:
        raw = base64.b64decode(str(item.get("data", "")), validate=True) if claimed else b""
    except (binascii.Error, ValueError):
        raw = b""
    found = _Line(number, claimed, spool.tell(), len(raw), hashlib.sha256(raw).hexdigest())
    spool.write(raw)
    return found


def _read(stream, limit: int | None) -> tuple[bytes, list[_Line], dict, object, str]:
    """(manifest line, photo lines, signature, spool of photo bytes, file SHA-256): the file is
    read once, line by line; the photos' bytes go to a spool (on disk past SPOOL_BYTES), so
    memory holds the manifest and one photo line. Foreign or truncated files refused."""
    digest = hashlib.sha256()
    lines = _lines(stream, limit, digest)
    head = next(lines, b"")
    if not head.lstrip().startswith(b"{") or b'"' + FORMAT.encode() + b'"' not in head[:200]:
        raise HandFileError("handfile_not_a_file", "This is not a xunjian hand-over file.")
    spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)
    photos, last, number = [], None, 1
    try:
        for line in lines:
            if last is not None:
                photos.append(_spool_photo(last.rstrip(b"\n"), number, spool))
            last, number = line, number + 1
    except BaseException:  # too large, or the stream failed: nothing kept
        spool.close()
        raise
    try:
        signature = json.loads(last)["signature"] if last is not None else None
    except (ValueError, KeyError, TypeError):
        signature = None
    if not isinstance(signature, dict) or not (last or head).endswith(b"\n"):
        spool.close()
        raise HandFileError(
            "handfile_truncated",
            "The file ends before its signature line: it was cut short (copy it again).",
        )
    return head.rstrip(b"\n"), photos, signature, spool, digest.hexdigest()


def read_export(source, limit: int | None = None) -> Verified:
    """Verify a phone's file whole (key, user, phone, signature, every photo); raise
    HandFileError naming the first thing wrong. Writes nothing. `source`: the bytes or a
    binary stream; the caller closes the answer (its spool of photos)."""
    stream = io.BytesIO(source) if isinstance(source, bytes | bytearray) else source
    head, body, signature, spool, sha256 = _read(stream, limit)
    try:
        return _verify(head, body, signature, spool, sha256)
    except BaseException:
        spool.close()
        raise


def _verify(head: bytes, body: list, signature: dict, spool, sha256: str) -> Verified:
    try:
        manifest = Manifest().load(_json_line(head, "1"))
    except ma.ValidationError as exc:
        raise HandFileError(
            "handfile_malformed", f"The file's manifest has invalid fields: {exc.messages}."
        ) from None
    key, user = _key_for(manifest)
    secret = phone_keys.secret_of(key)
    if signature.get("key_id") != key.key_id or not hmac.compare_digest(
        str(signature.get("mac", "")), mac(secret, FILE_DOMAIN, head)
    ):
        raise HandFileError(
            "handfile_bad_signature",
            "The signature does not match the file: it was altered after the phone made it.",
        )
    found = Verified(key, user, manifest, sha256=sha256, spool=spool)
    listed = {p["sha256"]: p for p in manifest["photos"]}
    for line in body:
        found.photos[line.sha256] = (_photo_type(line, listed, found), line.offset, line.size)
    if missing := sorted(set(listed) - set(found.photos)):
        raise HandFileError(
            "handfile_missing_photo",
            f"{len(missing)} photo(s) the manifest lists are not in the file, e.g. {missing[0]}.",
            sha256=missing[0],
        )
    return found


def _key_for(manifest: dict) -> tuple[PhoneKey, User]:
    from server.extensions import db

    key = phone_keys.by_key_id(manifest["key_id"])
    if key is None or phone_keys.secret_of(key) is None:
        raise HandFileError(
            "handfile_unknown_key",
            f"The file is signed with key {manifest['key_id']}, which this server never issued.",
            key_id=manifest["key_id"],
        )
    user = db.session.get(User, key.user_id)
    if key.user_id != manifest["user"]["id"] or user.username != manifest["user"]["username"]:
        raise HandFileError(
            "handfile_other_user",
            f"The file says it is {manifest['user']['username']}'s but is signed with "
            f"{user.username}'s key.",
            claimed=manifest["user"]["username"],
            key_user=user.username,
        )
    if key.phone_id != manifest["phone_id"]:
        raise HandFileError(
            "handfile_other_phone",
            "The file names another phone than the one its key was issued to.",
        )
    if key.revoked_at is not None or not user.active:
        raise HandFileError(
            "handfile_key_revoked",
            f"The key {key.key_id} was revoked (signed out, session ended or user deactivated).",
            key_id=key.key_id,
        )
    return key, user


def _photo_type(line: _Line, listed: dict, found: Verified) -> str:
    """The content type of a photo line that matches the manifest, else HandFileError."""
    if line.not_json:
        _json_line(b"", str(line.number))
    sha = line.claimed
    if sha not in listed:
        raise HandFileError(
            "handfile_unlisted_photo",
            f"Line {line.number} holds a photo the manifest does not list: the file was altered.",
            line=line.number,
        )
    if line.sha256 != sha or line.size != listed[sha]["size"]:
        raise HandFileError(
            "handfile_hash_mismatch",
            f"The bytes of photo {sha} do not match its SHA-256: the file was altered.",
            sha256=sha,
        )
    try:
        if line.size > current_app.config["PHOTO_MAX_BYTES"]:  # checked here: nothing stored yet
            raise Invalid("too large")
        return photo_checks.image_type(io.BytesIO(found.photo_bytes(sha, line.offset, line.size)))
    except Invalid:
        raise HandFileError(
            "handfile_bad_photo",
            f"Photo {sha} is not a readable JPEG, PNG or WebP image.",
            sha256=sha,
        ) from None


def receipt_text(key: PhoneKey, body: dict) -> str:
    """The receipt: its manifest line, then the server's signature with the phone's key."""
    line = json.dumps(
        {"format": RECEIPT_FORMAT, "version": VERSION, **body},
        ensure_ascii=False,
        separators=(",", ":"),
    )
    signed = mac(phone_keys.secret_of(key), RECEIPT_DOMAIN, line.encode())
    sign = json.dumps({"signature": {"alg": "HMAC-SHA256", "key_id": key.key_id, "mac": signed}})
    return f"{line}\n{sign}\n"
