"""A ZIP written entry by entry from streams, each entry hashed as it is written: memory stays
flat whatever the number or size of the files; the manifest lists every file's SHA-256 and size."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import BinaryIO

CHUNK = 1 << 16
MANIFEST_JSON = "manifest.json"
MANIFEST_CSV = "manifest.csv"
FORMAT = "xunjian-handover/1"
# A fixed entry time: the same records make the same bytes (the dates are in the manifest).
ENTRY_TIME = (2025, 1, 1, 0, 0, 0)


class _HashingStream(io.RawIOBase):
    """What a part writes an entry through: counts and hashes the bytes on their way in."""

    def __init__(self, target: BinaryIO):
        self.target, self.size, self.digest = target, 0, hashlib.sha256()

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.target.write(data)
        self.digest.update(data)
        self.size += len(data)
        return len(data)


class PackageWriter:
    """Add entries with `stream(name)` / `add_file` / `add_bytes`; `close(meta)` writes the
    manifest (JSON and CSV) and closes the ZIP."""

    def __init__(self, path: Path):
        self.path = path
        self.zip = zipfile.ZipFile(path, "w", allowZip64=True)
        self.files: list[dict] = []
        self.names: set[str] = set()

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        if name in self.names:
            raise ValueError(f"{name} is written twice")
        self.names.add(name)
        info = zipfile.ZipInfo(name, ENTRY_TIME)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def stream(self, name: str, compress: bool = True) -> _Entry:
        """A context manager: `with writer.stream("data/x.csv") as out: out.write(b"...")`."""
        return _Entry(self, name, compress)

    def add_file(self, name: str, source: Path | BinaryIO, compress: bool = True) -> None:
        with self.stream(name, compress) as out:
            if isinstance(source, Path):
                with open(source, "rb") as fh:
                    shutil.copyfileobj(fh, out, CHUNK)
            else:
                shutil.copyfileobj(source, out, CHUNK)

    def add_bytes(self, name: str, data: bytes, compress: bool = True) -> None:
        with self.stream(name, compress) as out:
            out.write(data)

    def close(self, meta: dict) -> None:
        manifest = {"format": FORMAT, **meta, "files": self.files}
        text = json.dumps(manifest, ensure_ascii=False, indent=1)
        self.zip.writestr(self._info(MANIFEST_JSON, True), text.encode("utf-8"))
        out = io.StringIO()
        rows = csv.writer(out, lineterminator="\n")
        rows.writerow(["path", "size", "sha256"])
        rows.writerows([f["path"], f["size"], f["sha256"]] for f in self.files)
        self.zip.writestr(self._info(MANIFEST_CSV, True), ("\ufeff" + out.getvalue()).encode())
        self.zip.close()

    def abort(self) -> None:
        self.zip.close()


class _Entry:
    def __init__(self, writer: PackageWriter, name: str, compress: bool):
        self.writer, self.name, self.compress = writer, name, compress

    def __enter__(self) -> _HashingStream:
        info = self.writer._info(self.name, self.compress)
        self.target = self.writer.zip.open(info, "w", force_zip64=True)
        self.hashing = _HashingStream(self.target)
        return self.hashing

    def __exit__(self, kind, exc, tb) -> None:
        self.target.close()
        if kind is None:
            self.writer.files.append(
                {
                    "path": self.name,
                    "size": self.hashing.size,
                    "sha256": self.hashing.digest.hexdigest(),
                }
            )
