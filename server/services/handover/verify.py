"""Check a handover ZIP against its manifest: every listed file present with its size and
SHA-256, no file that is not listed. Findings name the file; the first one is the headline."""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import dataclass
from pathlib import Path

from server.services.handover.writer import CHUNK, FORMAT, MANIFEST_CSV, MANIFEST_JSON


@dataclass(frozen=True)
class Finding:
    kind: str  # altered | missing | extra | unreadable
    path: str
    detail: str

    def __str__(self) -> str:
        return f"{self.kind.upper()} {self.path}: {self.detail}"


def _digest(archive: zipfile.ZipFile, name: str) -> tuple[int, str]:
    digest, size = hashlib.sha256(), 0
    with archive.open(name) as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return size, digest.hexdigest()


def verify(path: Path) -> tuple[int, list[Finding]]:
    """(files checked, findings); no findings means the package is intact."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        return 0, [Finding("unreadable", str(path), f"not a readable ZIP ({exc})")]
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST_JSON))
        except KeyError:
            return 0, [Finding("missing", MANIFEST_JSON, "the package has no manifest")]
        except (ValueError, zipfile.BadZipFile) as exc:
            return 0, [Finding("altered", MANIFEST_JSON, f"the manifest cannot be read ({exc})")]
        if manifest.get("format") != FORMAT:
            return 0, [Finding("altered", MANIFEST_JSON, f"format is not {FORMAT}")]
        return _check(archive, manifest["files"])


def _check(archive: zipfile.ZipFile, files: list[dict]) -> tuple[int, list[Finding]]:
    present = set(archive.namelist())
    findings = []
    for entry in files:
        name = entry["path"]
        if name not in present:
            findings.append(Finding("missing", name, "listed in the manifest, not in the ZIP"))
            continue
        try:
            size, sha = _digest(archive, name)
        except (zipfile.BadZipFile, OSError, EOFError) as exc:  # e.g. a CRC-32 mismatch
            findings.append(Finding("altered", name, f"its bytes are damaged ({exc})"))
            continue
        if sha != entry["sha256"] or size != entry["size"]:
            findings.append(
                Finding(
                    "altered",
                    name,
                    f"SHA-256 {sha} ({size} bytes), the manifest says {entry['sha256']} "
                    f"({entry['size']} bytes)",
                )
            )
    listed = {entry["path"] for entry in files} | {MANIFEST_JSON, MANIFEST_CSV}
    findings += [
        Finding("extra", name, "in the ZIP but not in the manifest")
        for name in sorted(present - listed)
    ]
    return len(files), findings
