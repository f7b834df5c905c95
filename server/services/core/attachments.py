"""Evidence files by SHA-256 (assessment events, fault comments): photos go to the photo store
(checked as images there), PDFs (a praise letter, a complaint, a report) to a content-hash store
of their own.

Allowed: JPEG, PNG, WebP (PHOTO_MAX_BYTES) and PDF (ATTACHMENT_MAX_BYTES, default 20 MiB).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from server.errors import Invalid, NotFound
from server.services.core import photo_store
from server.services.core.photo_store import StoredPhoto, TooLarge

PDF = "application/pdf"
IMAGE_TYPES = tuple(photo_store.ALLOWED_FORMATS.values())
ALLOWED_TYPES = (*IMAGE_TYPES, PDF)


def max_bytes(content_type: str) -> int:
    if content_type == PDF:
        return int(current_app.config["ATTACHMENT_MAX_BYTES"])
    return int(current_app.config["PHOTO_MAX_BYTES"])


def _root() -> Path:
    return Path(current_app.config["ATTACHMENT_STORE"])


def _pdf_path(sha: str) -> Path:
    photo_store.check_sha(sha)
    return _root() / sha[:2] / sha[2:4] / sha


def check_type(content_type: str | None) -> str:
    kind = (content_type or "").split(";")[0].strip().lower()
    if kind not in ALLOWED_TYPES:
        raise Invalid(
            f"Attachments of type '{kind or 'none'}' are not accepted; send a JPEG, PNG or WebP "
            "photo or a PDF, with its Content-Type.",
            errors={"headers": {"Content-Type": ["type_not_allowed"]}},
        )
    return kind


def put(sha: str, content_type: str, stream: BinaryIO, length: int | None) -> StoredPhoto:
    """Store an attachment's bytes under their SHA-256 (verified); images via the photo store."""
    kind = check_type(content_type)
    limit = max_bytes(kind)
    if length is not None and length > limit:
        raise TooLarge(f"The file has {length} bytes; the limit is {limit}.")
    if kind != PDF:
        return photo_store.get_store().put_stream(sha, stream, limit, length)
    final = _pdf_path(sha)
    if final.is_file():
        return StoredPhoto(sha, final.stat().st_size, PDF, created=False)
    final.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".tmp-", dir=final.parent)
    tmp = Path(tmp_name)
    try:
        digest, size = photo_store._copy_hashing(stream, fd, limit)
        if digest != sha:
            raise Invalid(
                "The bytes do not match the SHA-256 in the URL; recompute it and upload again.",
                errors={"path": {"sha256": ["hash_mismatch"]}},
            )
        with open(tmp, "rb") as fh:
            if not fh.read(5) == b"%PDF-":
                raise Invalid(
                    "The file is not a PDF (it does not start with %PDF-).",
                    errors={"body": ["not_a_pdf"]},
                )
        os.replace(tmp, final)
        return StoredPhoto(sha, size, PDF, created=True)
    finally:
        if tmp.exists():
            tmp.unlink()


def find(sha: str) -> tuple[str, int] | None:
    """(content type, size) of a stored attachment, or None."""
    photo_store.check_sha(sha)
    pdf = _pdf_path(sha)
    if pdf.is_file():
        return PDF, pdf.stat().st_size
    store = photo_store.get_store()
    if store.exists(sha):
        return store.content_type(sha), store.path(sha).stat().st_size
    return None


def open_file(sha: str) -> tuple[str, BinaryIO]:
    found = find(sha)
    if found is None:
        raise NotFound(f"No attachment {sha} has been uploaded.")
    if found[0] == PDF:
        return PDF, open(_pdf_path(sha), "rb")
    return found[0], photo_store.get_store().open(sha)
