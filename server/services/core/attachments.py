"""Evidence files by SHA-256 (assessment events, fault comments): photos go to the photo store
(checked as images there), PDFs (a praise letter, a complaint, a report) to a content-hash store
of their own (ATTACHMENT_STORE: a directory or s3://bucket/prefix, checked as PDFs).

Allowed: JPEG, PNG, WebP (PHOTO_MAX_BYTES) and PDF (ATTACHMENT_MAX_BYTES, default 20 MiB).
"""

from __future__ import annotations

from typing import BinaryIO

from flask import current_app

from server.errors import Invalid, NotFound
from server.services.core import photo_store
from server.services.core.photo_store import PDF, StoredPhoto, TooLarge

IMAGE_TYPES = tuple(photo_store.ALLOWED_FORMATS.values())
ALLOWED_TYPES = (*IMAGE_TYPES, PDF)


def max_bytes(content_type: str) -> int:
    if content_type == PDF:
        return int(current_app.config["ATTACHMENT_MAX_BYTES"])
    return int(current_app.config["PHOTO_MAX_BYTES"])


def check_type(content_type: str | None) -> str:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in ALLOWED_TYPES:
        raise Invalid(
            f"Attachments of type '{kind or 'none'}' are not accepted; send a JPEG, PNG or WebP "
            "photo or a PDF, with its Content-Type.",
            errors={"headers": {"Content-Type": ["type_not_allowed"]}},
        )
    return kind


def _store_of(kind: str) -> photo_store.PhotoStore:
    return photo_store.attachment_store() if kind == PDF else photo_store.get_store()


def put(sha: str, content_type: str, stream: BinaryIO, length: int | None) -> StoredPhoto:
    """Store an attachment's bytes under their SHA-256 (verified: hash, size, type)."""
    photo_store.check_sha(sha)
    kind = check_type(content_type)
    limit = max_bytes(kind)
    if length is not None and length > limit:
        raise TooLarge(f"The file has {length} bytes; the limit is {limit}.")
    return _store_of(kind).put_stream(sha, stream, limit, length)


def find(sha: str) -> tuple[str, int] | None:
    """(content type, size) of a stored attachment, or None."""
    photo_store.check_sha(sha)
    return photo_store.attachment_store().head(sha) or photo_store.get_store().head(sha)


def open_file(sha: str) -> tuple[str, BinaryIO]:
    found = find(sha)
    if found is None:
        raise NotFound(f"No attachment {sha} has been uploaded.")
    return found[0], _store_of(found[0]).open(sha)
