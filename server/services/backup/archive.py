"""A backup file on disk: the payload (a tar of the dump, the manifest and the photos'
manifest) sealed (sealed.py) into a temporary file in BACKUP_DIR, synced, then renamed; and
the way back, every frame authenticated before anything is used."""

from __future__ import annotations

import errno
import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path

from server.errors import BackupError
from server.services.backup import sealed

TMP_PREFIX = ".tmp-"
MANIFEST = "manifest.json"
PHOTOS = "photos.json"


class _Hashing:
    """The output file, hashing and counting what goes through (the record's SHA-256)."""

    def __init__(self, fh):
        self.fh, self.sha, self.size = fh, hashlib.sha256(), 0

    def write(self, data) -> int:
        self.fh.write(data)
        self.sha.update(data)
        self.size += len(data)
        return len(data)


def open_temp(directory: Path):
    """A new temporary file in the backup folder (a seam for the full-disk test)."""
    fd, name = tempfile.mkstemp(prefix=TMP_PREFIX, dir=directory)
    return os.fdopen(fd, "wb"), Path(name)


def write(directory: Path, name: str, key: bytes, header: dict, members: dict) -> tuple[int, str]:
    """Seal `members` ({name in the archive: a Path or bytes}) into directory/name; (size, sha).
    A failure (a full disk) leaves no file behind and says so."""
    directory.mkdir(parents=True, exist_ok=True)
    final = directory / name
    fh, tmp = open_temp(directory)
    try:
        with fh:
            out = _Hashing(fh)
            writer = sealed.SealedWriter(out, key, header)
            with tarfile.open(fileobj=writer, mode="w|", format=tarfile.PAX_FORMAT) as tar:
                for member, content in members.items():
                    _add(tar, member, content)
            writer.close()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, final)
        _fsync_dir(directory)
        return out.size, out.sha.hexdigest()
    except OSError as exc:
        raise _disk_error(exc, directory) from None
    finally:
        tmp.unlink(missing_ok=True)


def _add(tar: tarfile.TarFile, member: str, content) -> None:
    if isinstance(content, Path):
        tar.add(content, arcname=member, recursive=False)
        return
    info = tarfile.TarInfo(member)
    info.size = len(content)
    tar.addfile(info, io.BytesIO(content))


def _disk_error(exc: OSError, directory: Path) -> BackupError:
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        return BackupError(
            f"The disk of BACKUP_DIR ({directory}) is full: no backup was written (the partial "
            "file was removed). Free space or point BACKUP_DIR elsewhere, then run it again.",
            code_name="backup_disk_full",
        )
    return BackupError(
        f"Writing the backup into {directory} failed ({exc.strerror or exc}); nothing was kept.",
        code_name="backup_write_failed",
    )


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


class _FramesReader(io.RawIOBase):
    """The decrypted payload as a stream, one authenticated frame at a time."""

    def __init__(self, frames):
        self.frames, self.pending = frames, b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while not self.pending:
            self.pending = next(self.frames, b"")
            if not self.pending:
                return 0
        size = min(len(buffer), len(self.pending))
        buffer[:size] = self.pending[:size]
        self.pending = self.pending[size:]
        return size


def header(path: Path) -> dict:
    with open(path, "rb") as fh:
        return sealed.read_header(fh)[0]


def unseal(path: Path, key: bytes, into: Path) -> tuple[dict, dict]:
    """Decrypt the whole file into the folder `into` (authenticating every frame up to the
    last one); (header, manifest). Nothing is used before the whole file proved intact."""
    if not path.is_file():
        raise BackupError(f"There is no backup file {path}.", code_name="backup_not_found")
    with open(path, "rb") as fh:
        head, frames = sealed.open_frames(fh, key)
        stream = io.BufferedReader(_FramesReader(frames), buffer_size=sealed.CHUNK)
        try:
            with tarfile.open(fileobj=stream, mode="r|") as tar:
                tar.extractall(into, filter="data")
        except tarfile.TarError as exc:
            raise BackupError(
                f"The backup's content is not readable ({exc}).", code_name="backup_altered"
            ) from None
        for _ in frames:  # a tar ends before the padding: read the frames to the last one
            pass
    manifest = json.loads((into / MANIFEST).read_text())
    return head, manifest
