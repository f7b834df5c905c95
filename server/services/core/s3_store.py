"""Content-addressed files on an S3-compatible object store (PHOTO_STORE=s3://bucket/prefix).

Keys mirror the disk layout: <prefix>/<aa>/<bb>/<sha256>. An upload is spooled to a local
temporary file while hashing and checked (photo_checks) before S3 hears of it; it then goes
to its final key in one PUT with its SHA-256 as ChecksumSHA256. A PUT is atomic in S3 (the
key shows the whole new object or nothing) and S3 refuses one whose bytes do not hash to the
checksum (BadDigest), storing nothing; so a cut upload never reaches S3 and one cut between
the server and S3 leaves nothing visible (both checked against SeaweedFS in
tests/server/api/test_photos_s3.py). Before, the bytes went to a temporary key and were
published by a server-side copy and a delete: four S3 requests a photo instead of two (the
HEAD that finds a photo already stored, and the PUT), and S3 wrote every photo twice.
Temporary keys under <prefix>/.tmp/ (from the write probe, or left by older versions) are
still swept after an hour.

Every S3 failure (unreachable, timeouts, refused keys, missing bucket) is StoreUnavailable:
503 with Retry-After, nothing stored, the phone keeps its photo and sends it again.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import logging
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO
from urllib.parse import urlsplit

from server.services.core import photo_sweep
from server.services.core.photo_checks import (
    SHA256_RE,
    StoredPhoto,
    StoreUnavailable,
    check_sha,
    drain,
    image_type,
    verified_spool,
)

log = logging.getLogger(__name__)
TMP_DIR = ".tmp/"


@dataclass(frozen=True)
class S3Settings:
    """How to reach the store (config S3_*, keys from AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)."""

    endpoint_url: str | None
    region: str
    access_key_id: str | None
    secret_access_key: str | None
    spool_dir: str
    addressing_style: str = "path"
    connect_timeout: float = 3.0
    read_timeout: float = 30.0
    max_attempts: int = 2

    def client(self):
        import boto3
        from botocore.config import Config

        config = Config(
            signature_version="s3v4",
            s3={"addressing_style": self.addressing_style},
            retries={"max_attempts": self.max_attempts, "mode": "standard"},
            connect_timeout=self.connect_timeout,
            read_timeout=self.read_timeout,
            # Our own SHA-256 goes with each upload; no second checksum computed by botocore.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        return boto3.session.Session().client(
            "s3",
            endpoint_url=self.endpoint_url or None,
            region_name=self.region,
            aws_access_key_id=self.access_key_id or None,
            aws_secret_access_key=self.secret_access_key or None,
            config=config,
        )


def parse_url(url: str) -> tuple[str, str]:
    """(bucket, key prefix ending in '/' or empty) of s3://bucket/prefix."""
    parts = urlsplit(url)
    if parts.scheme != "s3" or not parts.netloc:
        raise ValueError(f"not an s3://bucket/prefix URL: {url!r}")
    prefix = parts.path.strip("/")
    return parts.netloc, f"{prefix}/" if prefix else ""


class S3PhotoStore:
    """The PhotoStore protocol on S3; `check` decides what is accepted (images by default)."""

    def __init__(self, url: str, settings: S3Settings, check: Callable[[Path], str] = image_type):
        self.bucket, self.prefix = parse_url(url)
        self.location = url
        self.settings = settings
        self.check = check
        # Spooled uploads and the reports' thumbnail cache: local, per server.
        self.local_dir = Path(settings.spool_dir) / self.bucket / self.prefix.strip("/")
        self.client = settings.client()

    def __repr__(self) -> str:
        return f"S3PhotoStore({self.location!r} at {self.settings.endpoint_url})"

    def key(self, sha: str) -> str:
        check_sha(sha)
        return f"{self.prefix}{sha[:2]}/{sha[2:4]}/{sha}"

    def _call(self, what: str, fn, missing_ok: bool = False, **kwargs):
        """One S3 request; any failure of the store or the link becomes StoreUnavailable
        (a missing key is None when `missing_ok`)."""
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            return fn(Bucket=self.bucket, **kwargs)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if missing_ok and (str(status) == "404" or error.get("Code") == "NoSuchKey"):
                return None
            detail = f"{status} {error.get('Code', '')} {error.get('Message', '')}".strip()
        except BotoCoreError as exc:
            detail = f"{exc.__class__.__name__}: {exc}"
        log.warning("photo store %s: %s failed: %s", self.location, what, detail)
        raise StoreUnavailable(
            f"The photo store cannot be used right now ({what} failed); nothing was stored. "
            "The phone keeps the photo and sends it again later.",
            detail=f"{what} at {self.settings.endpoint_url or 'AWS'} failed: {detail}",
        ) from None

    def head(self, sha: str) -> tuple[str, int] | None:
        """(content type, size) of a stored object, or None."""
        found = self._call("head", self.client.head_object, True, Key=self.key(sha))
        return None if found is None else (found["ContentType"], found["ContentLength"])

    def exists(self, sha: str) -> bool:
        return self.head(sha) is not None

    def content_type(self, sha: str) -> str:
        found = self.head(sha)
        if found is None:
            raise FileNotFoundError(self.key(sha))
        return found[0]

    def open(self, sha: str) -> BinaryIO:
        """The object's body, streamed (read it in chunks, close it when done)."""
        found = self._call("get", self.client.get_object, True, Key=self.key(sha))
        if found is None:
            raise FileNotFoundError(self.key(sha))
        return _Body(found["Body"], self)

    def put_stream(
        self, sha: str, stream: BinaryIO, max_bytes: int, expected_length: int | None = None
    ) -> StoredPhoto:
        final = self.key(sha)
        self.sweep_if_due()
        found = self.head(sha)
        if found is not None:
            drain(stream, max_bytes)
            return StoredPhoto(sha, found[1], found[0], created=False)
        with verified_spool(
            sha, stream, max_bytes, expected_length, self.local_dir, self.check, durable=False
        ) as (path, size, content_type):
            self._publish(sha, path, size, content_type, final)
        return StoredPhoto(sha, size, content_type, created=True)

    def _publish(self, sha: str, path: Path, size: int, content_type: str, final: str) -> None:
        """One PUT to the final key with S3's own SHA-256 check (the name is the SHA-256)."""
        checksum = base64.b64encode(bytes.fromhex(sha)).decode()
        with open(path, "rb") as body:
            self._call(
                "upload",
                self.client.put_object,
                Key=final,
                Body=body,
                ContentLength=size,
                ContentType=content_type,
                ChecksumSHA256=checksum,
            )

    def _delete_quietly(self, key: str) -> None:
        """Drop a temporary key; a failure leaves it to the sweep (nothing reads it)."""
        try:
            self.client.delete_object(Bucket=self.bucket, Key=key)
        except Exception as exc:
            log.warning("photo store %s: temporary %s left for the sweep: %s", self, key, exc)

    def shas(self) -> Iterator[str]:
        """Every stored object's hash (temporaries and strays left out)."""
        return (sha for sha, _size in self._listing())

    def iter_photos(self) -> Iterator[tuple[str, int]]:
        """(sha256, size) of every stored object, in name order (the backup's manifest)."""
        return iter(sorted(self._listing()))

    def _listing(self) -> Iterator[tuple[str, int]]:
        pages = self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        )
        for page in self._pages(pages):
            for item in page.get("Contents", ()):
                name = item["Key"][len(self.prefix) :]
                if len(name) == 70 and SHA256_RE.match(name[6:]) and name[:6] == _dirs(name[6:]):
                    yield name[6:], item["Size"]

    def _pages(self, pages) -> Iterator[dict]:
        from botocore.exceptions import BotoCoreError, ClientError

        try:
            yield from pages
        except (BotoCoreError, ClientError) as exc:
            raise StoreUnavailable(
                "The photo store cannot be listed right now.", detail=f"list failed: {exc}"
            ) from None

    def ready(self) -> None:
        """The bucket answers to these keys; StoreUnavailable saying why if not."""
        self._call("check bucket", self.client.head_bucket)
        self._call("list", self.client.list_objects_v2, Prefix=self.prefix, MaxKeys=1)

    def probe_write(self) -> None:
        """Write, read and delete a temporary key (start-up: read-only keys fail here)."""
        key = f"{self.prefix}{TMP_DIR}probe.{uuid.uuid4().hex}"
        try:
            self._call("write probe", self.client.put_object, Key=key, Body=b"probe")
            self._call("read probe", self.client.head_object, Key=key)
        finally:
            self._delete_quietly(key)

    def sweep_if_due(self) -> int:
        """Delete temporaries an hour old: local spool files and keys under .tmp/."""
        removed = photo_sweep.sweep_if_due(self.local_dir)
        if not photo_sweep.due(f"{self.settings.endpoint_url}|{self.location}"):
            return removed
        cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(seconds=photo_sweep.STALE_SECONDS)
        try:
            pages = self.client.get_paginator("list_objects_v2").paginate(
                Bucket=self.bucket, Prefix=self.prefix + TMP_DIR
            )
            for page in pages:
                for item in page.get("Contents", ()):
                    if item["LastModified"] < cutoff:
                        self._delete_quietly(item["Key"])
                        removed += 1
        except Exception as exc:  # the upload itself will say whether S3 is usable
            log.warning("photo store %s: sweep failed: %s", self.location, exc)
        return removed


class _Body(io.RawIOBase):
    """An object's body whose read failures (S3 gone mid-stream) are StoreUnavailable."""

    def __init__(self, body, store: S3PhotoStore):
        self.body, self.store = body, store

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        try:
            return self.body.read(None if size is None or size < 0 else size)
        except Exception as exc:
            raise StoreUnavailable(
                "The photo store stopped answering while the file was read; try again later.",
                detail=f"read from {self.store.location} failed: {exc}",
            ) from None

    def readinto(self, buffer) -> int:
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self.body.close()
        super().close()


def _dirs(sha: str) -> str:
    return f"{sha[:2]}/{sha[2:4]}/"
