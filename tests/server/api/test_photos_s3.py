"""Photos on S3 (SeaweedFS) when things go wrong: a hung or stopped S3 and wrong keys are a
503 with Retry-After (nothing stored, the phone retries) and a clear start-up error; what an
upload leaves in S3 (its SHA-256 checked by S3, no temporary key); the temporary keys' sweep."""

from __future__ import annotations

import base64
import hashlib
import io

import pytest
from click.testing import CliRunner
from PIL import Image

from tests.s3_server import S3View, SeaweedS3

URL = "/api/v1/photos/"


def jpeg(color=(30, 160, 90)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), color).save(out, "JPEG")
    return out.getvalue()


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _use(app, monkeypatch, server: SeaweedS3, view: S3View, **config) -> None:
    for key, value in {**server.config(view.spool), **config}.items():
        monkeypatch.setitem(app.config, key, value)
    monkeypatch.setitem(app.config, "PHOTO_STORE", view.photos)
    monkeypatch.setitem(app.config, "ATTACHMENT_STORE", view.attachments)


@pytest.fixture
def own_s3(tmp_path):
    """A SeaweedFS of this test's own: it is stopped mid-test."""
    server = SeaweedS3(tmp_path / "weed").start()
    server.bucket = server.new_bucket()
    yield server
    server.stop()


def _unavailable(answer) -> None:
    assert answer.status_code == 503, answer.get_data(as_text=True)
    assert int(answer.headers["Retry-After"]) > 0


def test_a_hung_then_stopped_s3_is_503_with_retry_after_and_nothing_half_stored(
    app, auth, own_s3, tmp_path, monkeypatch
):
    view = S3View(own_s3, own_s3.bucket, tmp_path / "spool")
    _use(app, monkeypatch, own_s3, view, S3_READ_TIMEOUT=2.0)
    engineer = auth("engineer")
    kept, new = jpeg(), jpeg((200, 20, 20))
    assert engineer.put(URL + sha(kept), data=kept, content_type="image/jpeg").status_code == 201
    own_s3.pause()  # hung: connections accepted, never answered
    try:
        answer = engineer.put(URL + sha(new), data=new, content_type="image/jpeg")
        _unavailable(answer)
        assert answer.get_json()["error"]["code_name"] == "store_unavailable"
        _unavailable(engineer.head(URL + sha(kept)))
        _unavailable(engineer.get(URL + sha(kept)))
    finally:
        own_s3.resume()
    assert view.files() == [sha(kept)]  # nothing of the refused upload, in S3 or the spool
    assert engineer.put(URL + sha(new), data=new, content_type="image/jpeg").status_code == 201
    own_s3.stop()  # gone: connections refused
    _unavailable(engineer.put(URL + sha(jpeg((1, 2, 3))), data=jpeg((1, 2, 3))))
    _unavailable(engineer.head(URL + sha(kept)))
    _unavailable(auth("viewer").get(URL + sha(new)))
    assert list(view.spool.rglob(".tmp-*")) == []


def test_wrong_keys_are_503_at_run_time_and_a_clear_error_at_start(
    app, auth, seaweed, tmp_path, monkeypatch
):
    from server.cli.worker import worker_command
    from server.services.core.photo_store import StoreUnavailable, check_stores

    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    _use(app, monkeypatch, seaweed, view, S3_SECRET_ACCESS_KEY="not-the-secret")
    data = jpeg()
    _unavailable(auth("engineer").put(URL + sha(data), data=data, content_type="image/jpeg"))
    with pytest.raises(StoreUnavailable) as refused:
        check_stores(app)
    message = refused.value.message
    assert message.startswith(f"PHOTO_STORE={view.photos} is not usable")
    assert "403" in message and "AWS_SECRET_ACCESS_KEY" in message
    started = CliRunner().invoke(worker_command, obj=_script_info(app))
    assert started.exit_code == 1 and "PHOTO_STORE" in started.output
    assert view.files() == []


def test_an_unreachable_endpoint_or_a_missing_bucket_is_named_at_start(
    app, seaweed, tmp_path, monkeypatch
):
    from server.services.core.photo_store import StoreUnavailable, check_stores
    from tests.live_server import free_port

    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    nobody = f"http://127.0.0.1:{free_port()}"
    _use(app, monkeypatch, seaweed, view, S3_ENDPOINT_URL=nobody)
    with pytest.raises(StoreUnavailable) as refused:
        check_stores(app)
    assert nobody in refused.value.message and "S3_ENDPOINT_URL" in refused.value.message
    _use(app, monkeypatch, seaweed, view)
    monkeypatch.setitem(app.config, "PHOTO_STORE", "s3://no-such-bucket-xj/photos")
    with pytest.raises(StoreUnavailable) as refused:
        check_stores(app)
    assert "s3://no-such-bucket-xj/photos" in refused.value.message
    monkeypatch.setitem(app.config, "PHOTO_STORE", view.photos)
    check_stores(app)  # all good: no error


def _script_info(app):
    from flask.cli import ScriptInfo

    return ScriptInfo(create_app=lambda: app)


def test_an_object_carries_its_sha256_checked_by_s3_and_no_temporary_is_left(
    app, auth, seaweed, tmp_path, monkeypatch
):
    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    _use(app, monkeypatch, seaweed, view)
    data = jpeg()
    answer = auth("engineer").put(URL + sha(data), data=data, content_type="image/jpeg")
    assert answer.status_code == 201
    key = f"{view.prefix}photos/{sha(data)[:2]}/{sha(data)[2:4]}/{sha(data)}"
    head = seaweed.client().head_object(Bucket=view.bucket, Key=key, ChecksumMode="ENABLED")
    assert head["ChecksumSHA256"] == base64.b64encode(bytes.fromhex(sha(data))).decode()
    assert head["ContentType"] == "image/jpeg" and head["ContentLength"] == len(data)
    assert seaweed.keys(view.bucket, view.prefix) == [key]
    assert list(view.spool.rglob(".tmp-*")) == []


def test_stale_temporary_keys_are_swept_fresh_ones_kept(app, seaweed, tmp_path, monkeypatch):
    from server.services.core import photo_sweep
    from server.services.core.photo_store import get_store

    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    _use(app, monkeypatch, seaweed, view)
    client = seaweed.client()
    crashed = f"{view.prefix}photos/.tmp/{'a' * 64}.crashed"
    client.put_object(Bucket=view.bucket, Key=crashed, Body=b"half")
    store = get_store()
    photo_sweep.forget(f"{store.settings.endpoint_url}|{store.location}")
    assert store.sweep_if_due() == 0  # younger than an hour: maybe an upload in flight
    assert seaweed.keys(view.bucket, view.prefix) == [crashed]
    monkeypatch.setattr(photo_sweep, "STALE_SECONDS", -60)  # now everything counts as stale
    photo_sweep.forget(f"{store.settings.endpoint_url}|{store.location}")
    assert store.sweep_if_due() == 1
    assert seaweed.keys(view.bucket, view.prefix) == []


def test_bytes_that_do_not_match_their_hash_are_refused_by_s3_and_nothing_is_stored(
    app, seaweed, tmp_path, monkeypatch
):
    """One PUT to the final key is safe only because S3 checks ChecksumSHA256 (s3_store.py):
    bytes changed after the server's own check (a bad disk) are a 503, and no key appears."""
    from server.services.core.photo_checks import StoreUnavailable
    from server.services.core.photo_store import get_store

    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    _use(app, monkeypatch, seaweed, view)
    store, data = get_store(), jpeg()
    damaged = tmp_path / "damaged.jpg"
    damaged.write_bytes(data[:-1] + b"\x00")
    with pytest.raises(StoreUnavailable):
        store._publish(sha(data), damaged, len(data), "image/jpeg", store.key(sha(data)))
    assert seaweed.keys(view.bucket, view.prefix) == []
    assert store.head(sha(data)) is None


def test_a_put_cut_half_way_to_s3_leaves_nothing_visible(app, seaweed, tmp_path, monkeypatch):
    """The other half of that promise: a PUT whose connection breaks mid-body stores nothing."""
    import socket
    from urllib.parse import urlsplit

    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    key, data = f"{view.prefix}photos/cut", jpeg() * 50
    url = urlsplit(
        seaweed.client().generate_presigned_url(
            "put_object", Params={"Bucket": view.bucket, "Key": key}, ExpiresIn=60
        )
    )
    with socket.create_connection((url.hostname, url.port), timeout=30) as sock:
        head = f"PUT {url.path}?{url.query} HTTP/1.1\r\nHost: {url.netloc}\r\n"
        sock.sendall(f"{head}Content-Length: {len(data)}\r\n\r\n".encode() + data[: len(data) // 2])
        sock.shutdown(socket.SHUT_WR)  # the body ends half way
        while sock.recv(65536):  # until S3 has given up on this request and closed
            pass
    assert seaweed.keys(view.bucket, view.prefix) == []
