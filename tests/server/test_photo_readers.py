"""What reads photos besides the API works on either store (disk, S3 on SeaweedFS): the
reports' thumbnails (cached on the local disk), the meeting register's signature, the demo
year's generated photos, and the missing-photo check."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image

from server.services.core import photo_store
from server.services.demo_year.photos import PhotoPool
from server.services.meetings import register
from server.services.reports import photos as report_photos


def _photo() -> tuple[str, bytes]:
    out = io.BytesIO()
    Image.new("RGB", (1200, 900), (10, 120, 200)).save(out, "JPEG")
    return hashlib.sha256(out.getvalue()).hexdigest(), out.getvalue()


def test_report_thumbnails_from_either_store_cached_locally(app, any_store):
    sha, data = _photo()
    photo_store.get_store().put_stream(sha, io.BytesIO(data), len(data))
    thumb = report_photos.jpeg(sha)
    with Image.open(io.BytesIO(thumb)) as image:
        assert max(image.size) == report_photos.MAX_SIDE
    cache = photo_store.get_store().local_dir / "thumbs"
    assert [p.name for p in cache.rglob("*") if p.is_file()] == [sha]
    assert report_photos.embed([sha, "f" * 64]) == {
        "images": [sha],
        "missing": ["f" * 64],
        "more": 0,
    }
    assert report_photos.jpeg("e" * 64) is None


def test_the_register_signature_and_missing_photos_ask_the_store(app, any_store):
    sha, data = _photo()
    assert register._signature(sha) is None  # still in the phone's outbox
    assert photo_store.missing([sha, sha]) == [sha]
    photo_store.get_store().put_stream(sha, io.BytesIO(data), len(data))
    assert register._signature(sha) == sha and photo_store.missing([sha]) == []


def test_the_demo_year_stores_its_photos_in_either_store(app, any_store):
    pool = PhotoPool(random.Random(7), size=3)
    fresh = pool.new()
    assert sorted(any_store.files()) == sorted({*pool.pool, fresh})
    assert all(photo_store.get_store().exists(sha) for sha in [*pool.pool, fresh])
