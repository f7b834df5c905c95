"""Move a store's files to another store (a local directory to S3), verifying every object.

Each file goes through the target's own upload path (hash, type, S3's SHA-256 checksum,
publish), then is read back from the target and re-hashed. A file already in the target is
not copied again but still re-hashed: a second run copies nothing and verifies everything.
A file whose bytes do not match its name is damaged in the source: reported, not copied.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from server.errors import AppError
from server.services.core.photo_checks import hash_stream
from server.services.core.photo_store import PhotoStore

MAX_BYTES = 1 << 30  # whatever the limits were when a file came in: it is evidence already


@dataclass
class Summary:
    total: int = 0
    copied: int = 0
    already_there: int = 0
    verified: int = 0
    bytes_copied: int = 0
    damaged: list[tuple[str, str]] = field(default_factory=list)  # in the source: not copied
    mismatched: list[tuple[str, str]] = field(default_factory=list)  # in the target

    @property
    def ok(self) -> bool:
        return not self.damaged and not self.mismatched and self.verified == self.total

    def lines(self) -> list[str]:
        out = [
            f"{self.total} file(s): {self.copied} copied ({self.bytes_copied:,} bytes), "
            f"{self.already_there} already there; {self.verified} verified (read back, re-hashed)."
        ]
        out += [f"  damaged in the source, not copied: {sha}: {why}" for sha, why in self.damaged]
        out += [f"  wrong in the target: {sha}: {why}" for sha, why in self.mismatched]
        out.append("All files are in the target and verified." if self.ok else "NOT all verified.")
        return out


def migrate(
    source: PhotoStore, target: PhotoStore, report: Callable[[Summary], None] | None = None
) -> Summary:
    """Copy and verify every file of `source` into `target`; StoreUnavailable stops the run
    (run it again: what was copied is verified and skipped)."""
    summary = Summary()
    for sha in source.shas():
        summary.total += 1
        found = target.head(sha)
        if found is None:
            try:
                with source.open(sha) as body:
                    stored = target.put_stream(sha, body, MAX_BYTES)
            except AppError as exc:
                if exc.status_code >= 500:
                    raise
                summary.damaged.append((sha, exc.message))
                continue
            summary.copied += stored.created
            summary.already_there += not stored.created
            summary.bytes_copied += stored.size if stored.created else 0
        else:
            summary.already_there += 1
        with target.open(sha) as body:
            digest, size = hash_stream(body)
        if digest == sha:
            summary.verified += 1
        else:
            summary.mismatched.append((sha, f"{size} bytes that hash to {digest}"))
        if report:
            report(summary)
    return summary
