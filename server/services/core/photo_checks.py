"""What every content-addressed store checks before a file becomes visible under its hash:
the name, the size, the SHA-256 of the bytes, and the type (a decodable allowed image, or a PDF).

An upload is streamed into a local temporary file while hashing (`verified_spool`); only a
file that passed every check leaves it, renamed into place (filesystem) or uploaded (S3).
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from flask import current_app

from server.errors import AppError, Invalid, TooLarge
from server.services.core.photo_sweep import TMP_PREFIX

CHUNK = 64 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
PDF = "application/pdf"
MAX_PIXELS = 50_000_000  # default of config PHOTO_MAX_PIXELS; the app's photos are ~2 MP


class Incomplete(AppError):
    """The body ended before its announced length (connection cut)."""

    status_code = 400
    code_name = "incomplete"


class StoreUnavailable(AppError):
    """The object store cannot be reached or refuses the server's keys: nothing was stored,
    the phone keeps its photo and sends it again after Retry-After seconds."""

    status_code = 503
    code_name = "store_unavailable"
    RETRY_AFTER = 30

    def __init__(self, message: str, detail: str | None = None, **kwargs):
        super().__init__(message, **kwargs)
        self.detail = detail or message  # what failed, for a start-up error or a log line
        self.headers.setdefault("Retry-After", str(self.RETRY_AFTER))


class TooManyPixels(Invalid):
    """A decompression bomb, or a photo far larger than anything the app makes."""

    code_name = "too_many_pixels"


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    size: int
    content_type: str
    created: bool  # False: it was already there


def check_sha(sha: str) -> str:
    if not SHA256_RE.match(sha or ""):
        raise Invalid(
            "A photo is named by the lowercase hex SHA-256 of its bytes (64 characters).",
            errors={"path": {"sha256": ["not a lowercase hex SHA-256"]}},
        )
    return sha


def image_type(path: Path, max_pixels: int | None = None) -> str:
    """The MIME type of an image file of an allowed format, or Invalid."""
    from PIL import Image, UnidentifiedImageError

    max_pixels = max_pixels or current_app.config.get("PHOTO_MAX_PIXELS", MAX_PIXELS)
    try:
        with Image.open(path) as image:  # reads the header only: the size costs nothing
            fmt = image.format
            _check_pixels(image.size, max_pixels)
            image.verify()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        # Pillow's own guard (a warning from 89 MP, an error from 179 MP) spoke first.
        found = re.search(r"\((\d+) pixels\)", str(exc))
        raise _too_many(f"{int(found[1]):,}" if found else "too many", max_pixels) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise Invalid(
            f"The bytes are not a readable image ({exc.__class__.__name__}); "
            "send a JPEG, PNG or WebP file.",
            errors={"body": ["not a decodable image"]},
        ) from None
    if fmt not in ALLOWED_FORMATS:
        raise Invalid(
            f"Images of type {fmt} are not accepted; send JPEG, PNG or WebP.",
            errors={"body": [f"format {fmt} not allowed"]},
        )
    return ALLOWED_FORMATS[fmt]


def pdf_type(path: Path) -> str:
    """PDF, or Invalid (an attachment that is not a photo must be a PDF)."""
    with open(path, "rb") as fh:
        if fh.read(5) != b"%PDF-":
            raise Invalid(
                "The file is not a PDF (it does not start with %PDF-).",
                errors={"body": ["not_a_pdf"]},
            )
    return PDF


def _check_pixels(size: tuple[int, int], max_pixels: int) -> None:
    width, height = size
    if width * height > max_pixels:
        raise _too_many(f"{width} × {height}", max_pixels)


def _too_many(pixels: str, max_pixels: int) -> TooManyPixels:
    return TooManyPixels(
        f"The image has {pixels} pixels; at most {max_pixels:,} are accepted. "
        "Scale it down (the app sends 1600 px) and upload it again.",
        errors={"body": [f"more than {max_pixels} pixels"]},
    )


def sniff(head: bytes) -> str:
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head.startswith(b"%PDF-"):
        return PDF
    return "application/octet-stream"


@contextmanager
def verified_spool(
    sha: str,
    stream: BinaryIO,
    max_bytes: int,
    expected_length: int | None,
    directory: Path,
    check: Callable[[Path], str],
    durable: bool = True,
) -> Iterator[tuple[Path, int, str]]:
    """(temporary path, size, content type) of the body once hash, length and type passed;
    the temporary file is gone afterwards whatever happened (the caller moves it or copies it).
    `durable`: synced to disk before the checks (the file store renames it into place; an S3
    store only reads it back to upload it, so its copy need not survive a power cut)."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=TMP_PREFIX, dir=directory)
    tmp = Path(tmp_name)
    try:
        digest, size = copy_hashing(stream, fd, max_bytes, durable)
        if expected_length is not None and size != expected_length:
            raise Incomplete(f"Received {size} of {expected_length} bytes; upload the photo again.")
        if digest != sha:
            raise Invalid(
                "The bytes do not match the SHA-256 in the URL; the upload was "
                "damaged or the name is wrong. Recompute the hash and upload again.",
                errors={"path": {"sha256": [f"bytes hash to {digest}"]}},
            )
        yield tmp, size, check(tmp)
    finally:
        if tmp.exists():
            tmp.unlink()


def copy_hashing(
    stream: BinaryIO, fd: int, max_bytes: int, durable: bool = True
) -> tuple[str, int]:
    """Copy the stream into fd in chunks, hashing; fsync before returning when `durable`."""
    digest, size = hashlib.sha256(), 0
    with os.fdopen(fd, "wb") as out:
        while True:
            try:
                chunk = stream.read(CHUNK)
            except Exception as exc:  # werkzeug ClientDisconnected and friends
                raise Incomplete(
                    f"The connection broke during the upload ({exc.__class__.__name__}); "
                    "upload the photo again."
                ) from None
            if not chunk:
                break
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(
                    f"The photo exceeds the limit of {max_bytes} bytes; "
                    "send a smaller (re-compressed) image."
                )
            digest.update(chunk)
            out.write(chunk)
        out.flush()
        if durable:
            os.fsync(out.fileno())
    return digest.hexdigest(), size


def drain(stream: BinaryIO, max_bytes: int) -> None:
    """Read and drop a body we do not need (the photo is already stored)."""
    total = 0
    while total <= max_bytes and (chunk := stream.read(CHUNK)):
        total += len(chunk)


def hash_stream(stream: BinaryIO) -> tuple[str, int]:
    """SHA-256 and size of what a stored object's stream holds (migrate re-hashes each)."""
    digest, size = hashlib.sha256(), 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size
