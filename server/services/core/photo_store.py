"""Content-addressed photo storage behind a small interface (filesystem now, object storage later).

A photo is stored under its SHA-256. Writes stream into a temporary file in the target
directory while hashing, are verified (hash, size, decodable image of an allowed type),
fsync'ed and renamed into place: a reader sees the whole photo or nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import current_app

from server.errors import AppError, Invalid
from server.services.core import photo_sweep

CHUNK = 64 * 1024
SHA256_RE = re.compile(r"^[0-9a-f]{64}$")
ALLOWED_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
MAX_PIXELS = 50_000_000  # default of config PHOTO_MAX_PIXELS; the app's photos are ~2 MP


class TooLarge(AppError):
    status_code = 413
    code_name = "too_large"


class Incomplete(AppError):
    """The body ended before its announced length (connection cut)."""

    status_code = 400
    code_name = "incomplete"


@dataclass(frozen=True)
class StoredPhoto:
    sha256: str
    size: int
    content_type: str
    created: bool  # False: it was already there


class PhotoStore(Protocol):
    def exists(self, sha: str) -> bool: ...
    def open(self, sha: str) -> BinaryIO: ...
    def content_type(self, sha: str) -> str: ...
    def put_stream(
        self, sha: str, stream: BinaryIO, max_bytes: int, expected_length: int | None = None
    ) -> StoredPhoto: ...


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


class TooManyPixels(Invalid):
    """A decompression bomb, or a photo far larger than anything the app makes."""

    code_name = "too_many_pixels"


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
    return "application/octet-stream"


class FilesystemPhotoStore:
    """Photos as files <root>/<aa>/<bb>/<sha256>; temporary files start with '.tmp-'."""

    def __init__(self, root: str | os.PathLike):
        self.root = Path(root)

    def path(self, sha: str) -> Path:
        check_sha(sha)
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def open(self, sha: str) -> BinaryIO:
        return open(self.path(sha), "rb")

    def iter_photos(self):
        """(sha256, size) of every stored photo, in name order (the backup's manifest)."""
        if not self.root.is_dir():
            return
        for path in sorted(self.root.glob("??/??/*")):
            if SHA256_RE.match(path.name) and path.is_file():
                yield path.name, path.stat().st_size

    def content_type(self, sha: str) -> str:
        """Sniffed from the magic bytes: stored photos were verified on the way in."""
        with open(self.path(sha), "rb") as fh:
            return sniff(fh.read(12))

    def put_stream(
        self, sha: str, stream: BinaryIO, max_bytes: int, expected_length: int | None = None
    ) -> StoredPhoto:
        final = self.path(sha)
        photo_sweep.sweep_if_due(self.root)  # temporaries of uploads cut by a crash
        if final.is_file():
            _drain(stream, max_bytes)
            return StoredPhoto(sha, final.stat().st_size, self.content_type(sha), created=False)
        final.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=photo_sweep.TMP_PREFIX, dir=final.parent)
        tmp = Path(tmp_name)
        try:
            digest, size = _copy_hashing(stream, fd, max_bytes)
            if expected_length is not None and size != expected_length:
                raise Incomplete(
                    f"Received {size} of {expected_length} bytes; upload the photo again."
                )
            if digest != sha:
                raise Invalid(
                    "The bytes do not match the SHA-256 in the URL; the upload was "
                    "damaged or the name is wrong. Recompute the hash and upload again.",
                    errors={"path": {"sha256": [f"bytes hash to {digest}"]}},
                )
            content_type = image_type(tmp)
            os.replace(tmp, final)
            _fsync_dir(final.parent)
            return StoredPhoto(sha, size, content_type, created=True)
        finally:
            if tmp.exists():
                tmp.unlink()


def _copy_hashing(stream: BinaryIO, fd: int, max_bytes: int) -> tuple[str, int]:
    """Copy the stream into fd in chunks, hashing; fsync before returning."""
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
        os.fsync(out.fileno())
    return digest.hexdigest(), size


def _drain(stream: BinaryIO, max_bytes: int) -> None:
    """Read and drop a body we do not need (the photo is already stored)."""
    total = 0
    while total <= max_bytes and (chunk := stream.read(CHUNK)):
        total += len(chunk)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def get_store() -> PhotoStore:
    """The configured store (PHOTO_STORE: a directory)."""
    return FilesystemPhotoStore(current_app.config["PHOTO_STORE"])


def missing(shas: list[str]) -> list[str]:
    """Which of these referenced photos have not arrived yet."""
    store = get_store()
    return [sha for sha in dict.fromkeys(shas) if not (SHA256_RE.match(sha) and store.exists(sha))]
