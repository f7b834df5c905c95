"""Content-addressed photo storage behind one small interface: a directory on the local disk
(fs_store) or an S3-compatible object store (s3_store), chosen by the PHOTO_STORE setting.

A photo is stored under its SHA-256 and becomes visible only after its bytes were checked
(photo_checks: hash, size, decodable image of an allowed type): a reader sees the whole photo
or nothing. The attachments' PDFs use the same stores with a PDF check (ATTACHMENT_STORE).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, Protocol

from flask import Flask, current_app

from server.services.core.fs_store import FilesystemPhotoStore
from server.services.core.photo_checks import (  # noqa: F401  (the store's public names)
    ALLOWED_FORMATS,
    CHUNK,
    MAX_PIXELS,
    PDF,
    SHA256_RE,
    Incomplete,
    StoredPhoto,
    StoreUnavailable,
    TooLarge,
    TooManyPixels,
    check_sha,
    image_type,
    pdf_type,
    sniff,
)
from server.services.core.s3_store import S3PhotoStore, S3Settings


class PhotoStore(Protocol):
    location: str  # the PHOTO_STORE value: a directory or s3://bucket/prefix
    local_dir: Path  # local working directory (the reports' thumbnail cache)

    def exists(self, sha: str) -> bool: ...
    def head(self, sha: str) -> tuple[str, int] | None: ...
    def open(self, sha: str) -> BinaryIO: ...
    def content_type(self, sha: str) -> str: ...
    def put_stream(
        self, sha: str, stream: BinaryIO, max_bytes: int, expected_length: int | None = None
    ) -> StoredPhoto: ...
    def shas(self) -> Iterator[str]: ...
    def iter_photos(self) -> Iterator[tuple[str, int]]: ...  # (sha256, size), name order
    def ready(self) -> None: ...  # StoreUnavailable (saying why) when it cannot be used
    def sweep_if_due(self) -> int: ...


def get_store() -> PhotoStore:
    """The configured photo store (PHOTO_STORE: a directory or s3://bucket/prefix)."""
    return store_for(current_app.config["PHOTO_STORE"], image_type)


def attachment_store() -> PhotoStore:
    """The store of the attachments that are not photos (PDFs; ATTACHMENT_STORE)."""
    return store_for(current_app.config["ATTACHMENT_STORE"], pdf_type)


def store_for(location: str, check: Callable[[Path], str], app: Flask | None = None) -> PhotoStore:
    """The store at `location`; S3 stores (each with its boto3 client) are made once per app."""
    app = app or current_app
    location = str(location)
    if "://" not in location:
        return FilesystemPhotoStore(location, check)
    if not location.startswith("s3://"):
        raise ValueError(
            f"Unknown photo store {location!r}: use a directory or s3://bucket/prefix."
        )
    settings = s3_settings(app.config)
    cache = app.extensions.setdefault("photo_stores", {})
    key = (location, check, settings)
    if key not in cache:
        cache[key] = S3PhotoStore(location, settings, check)
    return cache[key]


def s3_settings(config) -> S3Settings:
    return S3Settings(
        endpoint_url=config.get("S3_ENDPOINT_URL") or None,
        region=config.get("S3_REGION") or "us-east-1",
        access_key_id=config.get("S3_ACCESS_KEY_ID") or None,
        secret_access_key=config.get("S3_SECRET_ACCESS_KEY") or None,
        spool_dir=str(config.get("S3_SPOOL_DIR") or "var/s3-spool"),
        addressing_style=config.get("S3_ADDRESSING_STYLE") or "path",
        connect_timeout=float(config.get("S3_CONNECT_TIMEOUT", 3)),
        read_timeout=float(config.get("S3_READ_TIMEOUT", 30)),
        max_attempts=int(config.get("S3_MAX_ATTEMPTS", 2)),
    )


def check_stores(app: Flask, write: bool = True) -> None:
    """Both stores usable (start-up of `xunjian serve`/`worker`, gunicorn's on_starting, a
    readiness check with write=False); StoreUnavailable naming the setting otherwise."""
    for name, check in (("PHOTO_STORE", image_type), ("ATTACHMENT_STORE", pdf_type)):
        store = store_for(app.config[name], check, app)
        try:
            store.ready()
            if write and isinstance(store, S3PhotoStore):
                store.probe_write()
        except StoreUnavailable as exc:
            hint = (
                " Check S3_ENDPOINT_URL, S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY "
                "and that the bucket exists (docs/photos.md)."
                if isinstance(store, S3PhotoStore)
                else ""
            )
            raise StoreUnavailable(
                f"{name}={store.location} is not usable: {exc.detail}.{hint}", detail=exc.detail
            ) from None


def missing(shas: list[str]) -> list[str]:
    """Which of these referenced photos have not arrived yet."""
    store = get_store()
    return [sha for sha in dict.fromkeys(shas) if not (SHA256_RE.match(sha) and store.exists(sha))]
