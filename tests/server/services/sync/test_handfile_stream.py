"""A hand-over file read as a stream (the office upload, the CLI): photos spooled past the
memory budget to disk and read back whole, the file's hash over every byte, a file over the
limit refused before anything is written, a cut stream refused as truncated."""

from __future__ import annotations

import hashlib
import io

import pytest
import sqlalchemy as sa

from server.models import SyncImport, Visit
from server.services.core import photo_store
from server.services.sync import handfile, handfile_import
from tests import handfile_maker as hf
from tests import sync_records as rec


@pytest.fixture
def phone(app, reference_data, factory):
    engineer = factory.user("engineer")
    _client, answer = hf.sign_in(app, engineer)
    return engineer, answer["phone_key"]


def _photos(n: int) -> list[bytes]:
    return [hf.jpeg((10 * k, 200 - k, 30)) for k in range(n)]


def test_a_streamed_file_spools_its_photos_and_imports_them_all(phone, db, monkeypatch):
    engineer, key = phone
    monkeypatch.setattr(handfile, "SPOOL_BYTES", 1)  # every photo goes to the disk spool
    photos = _photos(3)
    data = hf.make(key, engineer, [rec.visit("520000")], photos)
    found = handfile.read_export(io.BytesIO(data))
    try:
        assert found.spool._rolled  # on disk, not in memory
        assert found.sha256 == hashlib.sha256(data).hexdigest()
        for photo in photos:
            assert found.photo_bytes(hashlib.sha256(photo).hexdigest()) == photo
    finally:
        found.close()
    run = handfile_import.import_file(io.BytesIO(data), None, "week.xjsync")
    db.session.commit()
    assert (run.created, run.photos, run.file_sha256) == (1, 3, found.sha256)
    store = photo_store.get_store()
    for photo in photos:
        sha = hashlib.sha256(photo).hexdigest()
        with store.open(sha) as stream:
            assert stream.read() == photo


def test_a_stream_over_the_limit_or_cut_short_writes_nothing(app, phone, db, monkeypatch):
    engineer, key = phone
    data = hf.make(key, engineer, [rec.visit("520000")], _photos(2))
    monkeypatch.setitem(app.config, "HANDFILE_MAX_BYTES", len(data) - 1)
    with pytest.raises(photo_store.TooLarge):
        handfile_import.import_file(io.BytesIO(data), None)
    monkeypatch.setitem(app.config, "HANDFILE_MAX_BYTES", len(data))
    cut = data[: data.rindex(b"\n", 0, len(data) - 1) + 1]  # the signature line lost
    with pytest.raises(handfile.HandFileError) as refused:
        handfile_import.import_file(io.BytesIO(cut), None)
    assert refused.value.code_name == "handfile_truncated"
    db.session.rollback()
    counts = [
        db.session.scalar(sa.select(sa.func.count()).select_from(m)) for m in (Visit, SyncImport)
    ]
    assert counts == [0, 0]
