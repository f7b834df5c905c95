"""`xunjian backup` and `xunjian restore` on the test database's kind (SQLite, or PostgreSQL
with TEST_DATABASE_URL): a round trip with equal counts and digests, the restore check
catching an altered file, and every refusal (not empty, newer schema, wrong key, full disk)."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import sqlalchemy as sa

from server.extensions import db
from server.models import BackupRun, Inspection
from server.services.backup import archive, engines, run, sealed
from server.services.core import users
from tests.server.backup.helpers import configure, fill, stamp, target_app, unstamp


@pytest.fixture
def filled(app, reference_data, auth, factory, tmp_path):
    key = configure(app, tmp_path)
    fill(auth, factory)
    stamp()
    yield key
    unstamp()


def _backup(app) -> BackupRun:
    result = app.test_cli_runner().invoke(args=["backup"])
    record = db.session.scalars(sa.select(BackupRun).order_by(BackupRun.id.desc())).first()
    assert record is not None, result.output
    return record


def _restore(target, *args):
    """`xunjian restore ...` on the target app (its context first: the CLI reuses a pushed one)."""
    with target.app_context():
        return target.test_cli_runner().invoke(args=["restore", *args])


def _path(app, record: BackupRun) -> Path:
    return Path(app.config["BACKUP_DIR"]) / record.file_name


def test_backup_then_restore_round_trip(app, filled, tmp_path):
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    assert "restore check passed" in result.output
    record = db.session.scalar(sa.select(BackupRun))
    assert record.state == "verified" and record.reason is None
    assert record.db_kind == db.engine.dialect.name
    assert record.counts["inspection"] == 2 and record.counts["visit"] == 1
    assert set(record.digests) >= {"inspection", "sync_receipt"}
    assert record.photos == 1 and record.size == _path(app, record).stat().st_size
    head = archive.header(_path(app, record))
    assert (head["revision"], head["db_kind"]) == (record.revision, record.db_kind)
    # No plaintext dump, temporary or work folder is left beside the file.
    assert [p.name for p in Path(app.config["BACKUP_DIR"]).iterdir()] == [record.file_name]
    with target_app(tmp_path, filled) as target:
        answer = _restore(target, str(_path(app, record)))
        assert answer.exit_code == 0, answer.output
        assert "equal to the backup" in answer.output
        with target.app_context(), db.engine.connect() as conn:
            restored = {
                n: conn.execute(sa.text(f'SELECT count(*) FROM "{n}"')).scalar()
                for n in record.counts
            }
            hashes = conn.execute(sa.text("SELECT content_hash FROM inspection")).scalars()
            restored_hashes = sorted(hashes)
    assert restored == record.counts
    assert restored_hashes == sorted(db.session.scalars(sa.select(Inspection.content_hash)))


def test_restore_check_fails_when_the_file_is_altered(app, filled):
    record = _backup(app)
    path = _path(app, record)
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01  # one bit inside an encrypted frame
    path.write_bytes(bytes(data))
    run.check(record, path, run.key())
    assert record.state == "check_failed"
    assert "altered or damaged" in record.reason


def test_restore_check_fails_when_the_copy_differs(app, filled, monkeypatch):
    """The check compares with the source at backup time: a restored copy missing a row fails."""
    real = engines.measure

    def one_inspection_lost(engine):
        found = real(engine)
        found["counts"]["inspection"] -= 1
        return found

    monkeypatch.setattr(engines, "measure", one_inspection_lost)
    record = _backup(app)
    assert record.state == "check_failed"
    assert "inspection: 2 rows at backup, 1 restored" in record.reason


def test_restore_refuses_a_database_that_is_not_empty(app, filled, tmp_path):
    record = _backup(app)
    with target_app(tmp_path, filled) as target:
        with target.app_context():
            db.create_all()
            users.create_user("someone", "Someone", "viewer", "correct-horse-9")
            db.session.commit()
        refused = _restore(target, str(_path(app, record)))
        assert refused.exit_code == 1
        assert "not empty" in refused.output and "--force" in refused.output
        with target.app_context():
            assert db.session.execute(sa.text('SELECT username FROM "user"')).scalar() == "someone"
        forced = _restore(target, "--force", str(_path(app, record)))
        assert forced.exit_code == 0, forced.output
        with target.app_context():
            names = set(db.session.execute(sa.text('SELECT username FROM "user"')).scalars())
        assert "someone" not in names and len(names) == record.counts["user"]


def test_restore_refuses_a_backup_from_a_newer_schema(app, filled, tmp_path):
    stamp("0099_from_the_future")
    record = _backup(app)
    assert record.revision == "0099_from_the_future"
    with target_app(tmp_path, filled) as target:
        refused = _restore(target, str(_path(app, record)))
        assert refused.exit_code == 1
        assert "0099_from_the_future" in refused.output and "newer version" in refused.output
        with target.app_context(), db.engine.connect() as conn:
            assert engines.tally.tables(conn) == []


def test_restore_refuses_a_wrong_key_and_an_altered_file(app, filled, tmp_path):
    record = _backup(app)
    path = _path(app, record)
    with target_app(tmp_path, sealed.new_key()) as target:
        refused = _restore(target, str(path))
        assert refused.exit_code == 1 and "encrypted with another key" in refused.output
    cut = tmp_path / "cut.xjbk"
    cut.write_bytes(path.read_bytes()[:-100])
    header = json.loads(path.read_bytes()[14 : 14 + int.from_bytes(path.read_bytes()[10:14])])
    assert header["revision"] == record.revision
    with target_app(tmp_path, filled) as target:
        refused = _restore(target, str(cut))
        assert refused.exit_code == 1 and "altered or damaged" in refused.output
        with target.app_context(), db.engine.connect() as conn:
            assert engines.tally.tables(conn) == []


def test_a_full_disk_leaves_nothing_and_records_the_failure(app, filled, monkeypatch):
    real = archive.open_temp

    class FillsUp:
        def __init__(self, fh):
            self.fh, self.written = fh, 0

        def write(self, data):
            self.written += len(data)
            if self.written > 50_000:
                raise OSError(errno.ENOSPC, "No space left on device")
            return self.fh.write(data)

        def __getattr__(self, name):
            return getattr(self.fh, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.fh.close()

    def filling(directory):
        fh, path = real(directory)
        return FillsUp(fh), path

    monkeypatch.setattr(archive, "open_temp", filling)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1 and "is full" in result.output
    record = db.session.scalar(sa.select(BackupRun))
    assert record.state == "failed" and record.file_name is None
    assert list(Path(app.config["BACKUP_DIR"]).iterdir()) == []


def test_without_a_key_the_run_is_recorded_as_failed(app, tmp_path):
    app.config.update(BACKUP_KEY="", BACKUP_DIR=str(tmp_path / "b"))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1 and "BACKUP_KEY is not set" in result.output
    assert db.session.scalar(sa.select(BackupRun.state)) == "failed"


def test_retention_keeps_the_newest_and_the_recent(app, tmp_path):
    """A file goes once it is beyond the newest BACKUP_KEEP *and* older than BACKUP_KEEP_DAYS;
    its row stays, marked pruned; other files in the folder are never touched."""
    from datetime import timedelta

    from server.models import utcnow
    from server.services.backup import retention

    app.config.update(BACKUP_KEEP=2, BACKUP_KEEP_DAYS=5)
    folder = tmp_path / "kept"
    folder.mkdir()
    now = utcnow()
    runs = []
    for days_ago in (1, 3, 7, 9):
        at = now - timedelta(days=days_ago)
        name = run.file_name(at, "sqlite")
        (folder / name).write_bytes(b"x")
        runs.append(
            BackupRun(
                started_at=at,
                finished_at=at,
                ran_by="t",
                state="verified",
                file_name=name,
                db_kind="sqlite",
                counts={},
                digests={},
            )
        )
    (folder / "notes.txt").write_text("not a backup")
    db.session.add_all(runs)
    db.session.flush()
    assert retention.prune(folder, now) == [runs[2].id, runs[3].id]
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        [runs[0].file_name, runs[1].file_name, "notes.txt"]
    )
    assert runs[3].pruned_at == now and runs[0].pruned_at is None
    app.config.update(BACKUP_KEEP=1)  # the 3-day-old one is still within the days
    assert retention.prune(folder, now) == []


def test_an_unexpected_failure_is_still_a_recorded_run(app, filled, monkeypatch):
    """A crash of the dump (here pg_dump or SQLite raising) leaves a failed row with its reason,
    so the missed cycle points at it; a crash of the check is a failed check."""

    def broken(engine, path):
        raise RuntimeError("the dump broke")

    monkeypatch.setattr(engines, "dump", broken)
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 1 and "RuntimeError: the dump broke" in result.output
    monkeypatch.undo()
    monkeypatch.setattr(engines, "restore", lambda *a: (_ for _ in ()).throw(OSError("no room")))
    result = app.test_cli_runner().invoke(args=["backup"])
    assert result.exit_code == 2, result.output
    states = db.session.scalars(sa.select(BackupRun.state).order_by(BackupRun.id)).all()
    assert states == ["failed", "check_failed"]
