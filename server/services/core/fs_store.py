"""Content-addressed files on the local disk: <root>/<aa>/<bb>/<sha256>.

A write streams into a temporary file in the target directory while hashing, is verified
(photo_checks), fsync'ed and renamed into place: a reader sees the whole file or nothing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from server.services.core import photo_sweep
from server.services.core.photo_checks import (
    SHA256_RE,
    StoredPhoto,
    StoreUnavailable,
    check_sha,
    drain,
    image_type,
    sniff,
    verified_spool,
)


class FilesystemPhotoStore:
    """Files <root>/<aa>/<bb>/<sha256>; temporary files start with '.tmp-'; `check` decides
    the type of what is accepted (an image by default, a PDF for the attachments' store)."""

    def __init__(self, root: str | os.PathLike, check: Callable[[Path], str] = image_type):
        self.root = Path(root)
        self.check = check
        self.local_dir = self.root  # report thumbnails are cached here
        self.location = str(self.root)

    def __repr__(self) -> str:
        return f"FilesystemPhotoStore({self.location!r})"

    def __eq__(self, other: object) -> bool:  # one cache key per directory (report thumbnails)
        return isinstance(other, FilesystemPhotoStore) and (other.root, other.check) == (
            self.root,
            self.check,
        )

    def __hash__(self) -> int:
        return hash((self.root, self.check))

    def path(self, sha: str) -> Path:
        check_sha(sha)
        return self.root / sha[:2] / sha[2:4] / sha

    def exists(self, sha: str) -> bool:
        return self.path(sha).is_file()

    def head(self, sha: str) -> tuple[str, int] | None:
        """(content type, size) of a stored file, or None."""
        try:
            with open(self.path(sha), "rb") as fh:
                return sniff(fh.read(12)), os.fstat(fh.fileno()).st_size
        except FileNotFoundError:
            return None

    def open(self, sha: str) -> BinaryIO:
        return open(self.path(sha), "rb")

    def content_type(self, sha: str) -> str:
        """Sniffed from the magic bytes: stored files were verified on the way in."""
        with open(self.path(sha), "rb") as fh:
            return sniff(fh.read(12))

    def put_stream(
        self, sha: str, stream: BinaryIO, max_bytes: int, expected_length: int | None = None
    ) -> StoredPhoto:
        final = self.path(sha)
        photo_sweep.sweep_if_due(self.root)  # temporaries of uploads cut by a crash
        if final.is_file():
            drain(stream, max_bytes)
            return StoredPhoto(sha, final.stat().st_size, self.content_type(sha), created=False)
        with verified_spool(sha, stream, max_bytes, expected_length, final.parent, self.check) as (
            tmp,
            size,
            content_type,
        ):
            os.replace(tmp, final)
            _fsync_dir(final.parent)
        return StoredPhoto(sha, size, content_type, created=True)

    def shas(self) -> Iterator[str]:
        """Every stored file's name (its hash), in no particular order."""
        if not self.root.is_dir():
            return
        for first in sorted(self.root.iterdir()):
            if len(first.name) != 2 or not first.is_dir():
                continue  # thumbs/ and strays
            for path in first.glob("*/*"):
                if SHA256_RE.match(path.name) and path.is_file():
                    yield path.name

    def iter_photos(self) -> Iterator[tuple[str, int]]:
        """(sha256, size) of every stored file, in name order (the backup's manifest)."""
        for sha in sorted(self.shas()):
            yield sha, self.path(sha).stat().st_size

    def ready(self) -> None:
        """The directory exists (or can be made) and takes files; StoreUnavailable if not."""
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            if not os.access(self.root, os.W_OK | os.X_OK):
                raise PermissionError(f"{self.root} is not writable")
        except OSError as exc:
            raise StoreUnavailable(
                f"The store directory {self.root} cannot be used ({exc}); check PHOTO_STORE / "
                "ATTACHMENT_STORE and the directory's owner."
            ) from None

    def sweep_if_due(self) -> int:
        return photo_sweep.sweep_if_due(self.root)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
