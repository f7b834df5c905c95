"""Report thumbnails: downscaled once, kept on disk by content hash, reused by a new process."""

import hashlib
import io
import os

from PIL import Image

from server.services.core.photo_store import FilesystemPhotoStore
from server.services.reports import photos


def stored_photo(root) -> str:
    out = io.BytesIO()
    Image.new("RGB", (1600, 1200), (200, 30, 30)).save(out, "JPEG")
    sha = hashlib.sha256(out.getvalue()).hexdigest()
    path = FilesystemPhotoStore(root).path(sha)
    path.parent.mkdir(parents=True)
    path.write_bytes(out.getvalue())
    return sha


def test_a_thumbnail_is_written_once_and_read_back_from_disk(tmp_path):
    sha = stored_photo(tmp_path)
    first = photos._jpeg.__wrapped__(
        FilesystemPhotoStore(tmp_path), sha
    )  # past the in-process cache
    with Image.open(io.BytesIO(first)) as thumb:
        assert max(thumb.size) == photos.MAX_SIDE
    os.remove(FilesystemPhotoStore(tmp_path).path(sha))  # only the disk cache can answer now
    assert photos._jpeg.__wrapped__(FilesystemPhotoStore(tmp_path), sha) == first
    assert not [p for p in tmp_path.rglob("*") if p.name.startswith(".tmp-")]
