"""One backup run: dump (with the counts and digests of that moment), the photos' manifest,
seal into BACKUP_DIR, restore-check in a scratch database, record the run, apply retention.

Every run leaves a `backup_run` row, also one that made no file (state `failed`, with the
reason): the assessment reads these rows (a missed cycle, a failed check).
"""

from __future__ import annotations

import json
import logging
import tempfile
import time
from datetime import datetime
from pathlib import Path

from flask import current_app

from server.errors import BackupError
from server.extensions import db
from server.models import BackupRun, utcnow
from server.services.backup import archive, engines, retention, sealed, tally
from server.services.core.photo_store import get_store

log = logging.getLogger(__name__)
FORMAT = 1
TASK_ACTOR = "task:backups.daily"


def current_time() -> datetime:
    """The clock backups read (tests replace it)."""
    return utcnow()


def backup_dir() -> Path:
    return Path(current_app.config["BACKUP_DIR"])


def key() -> bytes:
    return sealed.parse_key(current_app.config.get("BACKUP_KEY"))


def file_name(at: datetime, kind: str) -> str:
    return f"xunjian-{at:%Y%m%dT%H%M%S}Z-{kind}.xjbk"


def photo_manifest() -> list[list]:
    """[sha256, size] of every photo in the store. The photos themselves are content-addressed
    and kept by the store (its replication); the manifest says which must exist."""
    return [[sha, size] for sha, size in get_store().iter_photos()]


def run_backup(ran_by: str) -> BackupRun:
    """Make, check and record one backup; the run's row (flushed; the caller commits)."""
    started = current_time()
    kind = db.engine.dialect.name
    run = BackupRun(started_at=started, ran_by=ran_by[:64], db_kind=kind, counts={}, digests={})
    try:
        _make(run, started)
    except BackupError as exc:
        run.state, run.reason = "failed", exc.message
        log.error("backup failed: %s", exc.message)
    except Exception as exc:  # still a recorded run: the missed cycle must point at a reason
        db.session.rollback()
        log.exception("backup failed")
        run.state, run.reason = "failed", f"{exc.__class__.__name__}: {exc}"[:4000]
    run.finished_at = current_time()
    db.session.add(run)
    db.session.flush()
    if run.file_name:
        retention.prune(backup_dir(), current_time())
    return run


def _make(run: BackupRun, started: datetime) -> None:
    secret = key()
    directory = backup_dir()
    directory.mkdir(parents=True, exist_ok=True)
    db.session.commit()  # the dump must see what this session wrote
    with tempfile.TemporaryDirectory(prefix=".work-", dir=directory) as work:
        work = Path(work)
        dump_path = work / engines.DUMP_NAMES[run.db_kind]
        try:
            state = engines.dump(db.engine, dump_path)
        except OSError as exc:
            raise archive._disk_error(exc, directory) from None
        photos = photo_manifest()
        run.revision, run.counts, run.digests = state["revision"], state["counts"], state["digests"]
        run.photos = len(photos)
        manifest = {"format": FORMAT, "db_kind": run.db_kind, "created_at": started.isoformat()}
        manifest |= state | {"photos": len(photos)}
        header = {"format": FORMAT, "db_kind": run.db_kind, "revision": run.revision}
        header["created_at"] = started.isoformat()
        name = file_name(started, run.db_kind)
        members = {
            archive.MANIFEST: json.dumps(manifest, sort_keys=True).encode(),
            archive.PHOTOS: json.dumps(photos).encode(),
            dump_path.name: dump_path,
        }
        run.size, run.sha256 = archive.write(directory, name, secret, header, members)
        run.file_name = name
        dump_path.unlink()
    check(run, directory / name, secret)


def check(run: BackupRun, path: Path, secret: bytes) -> None:
    """Restore the file into a scratch database; equal counts and digests: verified."""
    began = time.monotonic()
    try:
        problems = restore_check(path, secret, run.counts, run.digests)
    except BackupError as exc:
        problems = [exc.message]
    except Exception as exc:  # a file that cannot be restored failed its check, whatever the cause
        log.exception("restore check of %s failed", path.name)
        problems = [f"{exc.__class__.__name__}: {exc}"]
    run.check_seconds = round(time.monotonic() - began, 3)
    run.state = "check_failed" if problems else "verified"
    run.reason = "; ".join(problems)[:4000] if problems else None


def restore_check(path: Path, secret: bytes, counts: dict, digests: dict) -> list[str]:
    """What differs between the source at backup time and the file restored in scratch."""
    with tempfile.TemporaryDirectory(prefix=".check-", dir=path.parent) as work:
        work = Path(work)
        _head, manifest = archive.unseal(path, secret, work)
        dump_path = work / engines.DUMP_NAMES[manifest["db_kind"]]
        with engines.scratch(db.engine, work) as scratch:
            engines.restore(scratch, dump_path)
            if problem := engines.integrity(scratch):
                return [problem]
            found = engines.measure(scratch)
    expected = {"counts": counts, "digests": digests}
    return tally.differences(expected, found["counts"], found["digests"])


def periodic() -> None:
    """The task queue's daily entry (server/tasks/registry.py)."""
    run_backup(TASK_ACTOR)
