"""`xunjian restore FILE`: a backup into the configured (fresh) database. The whole file is
authenticated first, its schema revision must be one this code knows, the database must be
empty (unless forced); after loading, counts and digests must equal the backup's."""

from __future__ import annotations

import tempfile
from pathlib import Path

import sqlalchemy as sa
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError

from server.errors import BackupError
from server.extensions import db
from server.services.backup import archive, engines, tally

MIGRATIONS = Path(__file__).resolve().parents[3] / "migrations"


def known_revision(revision: str | None) -> bool:
    """Is this one of this code's migrations (older ones are upgraded after the restore)?"""
    if revision is None:
        return False
    script = ScriptDirectory(str(MIGRATIONS))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def head_revision() -> str:
    return ScriptDirectory(str(MIGRATIONS)).get_current_head()


def filled_tables(engine: sa.Engine) -> dict[str, int]:
    """Tables of the target that hold rows (Alembic's own bookkeeping aside)."""
    with engine.connect() as conn:
        counts = tally.counts(conn)
    return {name: rows for name, rows in counts.items() if rows and name != "alembic_version"}


def check_header(head: dict, kind: str) -> None:
    revision = head.get("revision")
    if not known_revision(revision):
        raise BackupError(
            f"The backup is of schema revision {revision!r}, which this version of xunjian "
            f"does not know (its newest is {head_revision()}): it was made by a newer version. "
            "Install that version (or newer) and restore with it; nothing was written.",
            code_name="backup_newer_schema",
        )
    if head.get("db_kind") != kind:
        raise BackupError(
            f"The backup is of a {head.get('db_kind')} database; DATABASE_URL is {kind}. "
            "Restore it into the same kind of database; nothing was written.",
            code_name="backup_wrong_kind",
        )


def restore(path: Path, secret: bytes, force: bool = False) -> dict:
    """Restore into db.engine; the manifest and what the database holds now."""
    engine = db.engine
    kind = engines.kind_of(engine)
    db.session.remove()
    with tempfile.TemporaryDirectory(prefix="xunjian-restore-") as work:
        work = Path(work)
        head, manifest = archive.unseal(path, secret, work)  # authenticated before anything
        check_header(head, kind)
        filled = filled_tables(engine)
        if filled and not force:
            listing = ", ".join(f"{name} ({rows})" for name, rows in sorted(filled.items())[:8])
            raise BackupError(
                f"The database is not empty ({len(filled)} tables hold rows: {listing}). "
                "Restore into a new database, or add --force to replace everything in it.",
                code_name="backup_target_not_empty",
            )
        engines.restore(engine, work / engines.DUMP_NAMES[kind])
    engine.dispose()
    found = engines.measure(engine)
    problems = tally.differences(manifest, found["counts"], found["digests"])
    if problems:
        raise BackupError(
            "The restored database differs from the backup: " + "; ".join(problems[:10]),
            code_name="backup_restore_mismatch",
        )
    return {"manifest": manifest, "counts": found["counts"], "head": head_revision()}
