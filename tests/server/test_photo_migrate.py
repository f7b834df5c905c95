"""`xunjian photos migrate`: a local store moved to S3 (SeaweedFS), every object read back and
re-hashed; a damaged source file or a wrong object named; a second run copies nothing."""

from __future__ import annotations

import hashlib
import io

import pytest
from PIL import Image

from server.services.core.fs_store import FilesystemPhotoStore
from server.services.core.photo_checks import pdf_type
from tests.s3_server import S3View

PDF = b"%PDF-1.4\n% a letter\n%%EOF\n"


def jpeg(n: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (n * 70 % 256, 90, 30)).save(out, "JPEG")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@pytest.fixture
def moved(app, seaweed, tmp_path, monkeypatch):
    """A local photo store (3 photos, a damaged file, a crash's temporary, thumbnails) and an
    attachments directory (one PDF); the app configured for S3."""
    local = FilesystemPhotoStore(tmp_path / "photos")
    photos = [jpeg(n) for n in (1, 2, 3)]
    for data in photos:
        local.put_stream(sha(data), io.BytesIO(data), 1_000_000)
    damaged = local.path(sha(b"what it was"))
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(jpeg(4))  # bytes no longer match the name
    (local.path(sha(photos[0])).parent / ".tmp-crashed").write_bytes(b"half")
    (tmp_path / "photos" / "thumbs" / "400q70").mkdir(parents=True)
    FilesystemPhotoStore(tmp_path / "attachments", pdf_type).put_stream(
        sha(PDF), io.BytesIO(PDF), 1_000_000
    )
    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    for key, value in seaweed.config(view.spool).items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "PHOTO_STORE", view.photos)
    monkeypatch.setitem(app.config, "ATTACHMENT_STORE", view.attachments)
    view.local, view.photo_shas, view.damaged = local, sorted(map(sha, photos)), damaged.name
    return view


def run(app, *args):
    return app.test_cli_runner().invoke(args=["photos", *args])


def _key(view, sha256: str, kind: str = "photos") -> str:
    return f"{view.prefix}{kind}/{sha256[:2]}/{sha256[2:4]}/{sha256}"


def test_migrate_copies_verifies_names_the_damaged_and_runs_again(app, auth, moved, tmp_path):
    first = run(app, "migrate", "--from", str(tmp_path / "photos"))
    assert first.exit_code == 1, first.output  # one file could not be moved
    assert "4 file(s): 3 copied" in first.output and "3 verified" in first.output
    assert f"damaged in the source, not copied: {moved.damaged}" in first.output
    assert moved.server.keys(moved.bucket, moved.prefix) == sorted(
        _key(moved, s) for s in moved.photo_shas
    )
    for sha256 in moved.photo_shas:  # byte-identical in S3
        body = moved.server.client().get_object(Bucket=moved.bucket, Key=_key(moved, sha256))
        assert sha(body["Body"].read()) == sha256
    moved.local.path(moved.damaged).unlink()  # the operator deals with it
    again = run(app, "migrate", "--from", str(tmp_path / "photos"))
    assert again.exit_code == 0, again.output
    assert "3 file(s): 0 copied (0 bytes), 3 already there; 3 verified" in again.output
    assert "All files are in the target and verified." in again.output
    served = auth("viewer").get(f"/api/v1/photos/{moved.photo_shas[0]}")  # the app reads S3 now
    assert served.status_code == 200 and sha(served.data) == moved.photo_shas[0]


def test_migrate_names_an_object_that_is_wrong_in_s3(app, moved, tmp_path):
    moved.local.path(moved.damaged).unlink()
    assert run(app, "migrate", "--from", str(tmp_path / "photos")).exit_code == 0
    victim = moved.photo_shas[1]
    moved.server.client().put_object(
        Bucket=moved.bucket, Key=_key(moved, victim), Body=b"rotted", ContentType="image/jpeg"
    )
    checked = run(app, "migrate", "--from", str(tmp_path / "photos"))
    assert checked.exit_code == 1
    assert f"wrong in the target: {victim}: 6 bytes that hash to {sha(b'rotted')}" in checked.output


def test_migrate_the_attachments_and_refuse_a_store_onto_itself(app, moved, tmp_path):
    result = run(app, "migrate", "--attachments", "--from", str(tmp_path / "attachments"))
    assert result.exit_code == 0, result.output
    assert "1 file(s): 1 copied" in result.output
    assert moved.server.keys(moved.bucket, f"{moved.prefix}attachments/") == [
        _key(moved, sha(PDF), "attachments")
    ]
    same = run(app, "migrate", "--from", moved.photos, "--to", moved.photos + "/")
    assert same.exit_code == 2 and "the same store" in same.output


def test_migrate_with_s3_unreachable_says_so_and_loses_nothing(app, moved, tmp_path, monkeypatch):
    from tests.live_server import free_port

    monkeypatch.setitem(app.config, "S3_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    result = run(app, "migrate", "--from", str(tmp_path / "photos"))
    assert result.exit_code == 1 and "run the command again" in result.output
    assert len(list(moved.local.shas())) == 4  # the source untouched


def test_photos_check_command(app, moved):
    result = run(app, "check")
    assert result.exit_code == 0, result.output
    assert f"PHOTO_STORE {moved.photos}: ok" in result.output
