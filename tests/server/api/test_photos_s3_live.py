"""A real server process on S3 (SeaweedFS): a photo upload cut mid-body (the connection
closed) leaves nothing in the bucket, listed as S3 has it, and nothing in the spool; the
phone's retry then stores it."""

from __future__ import annotations

import hashlib
import io
import socket
import time

import pytest
from PIL import Image

from tests.live_server import serving
from tests.s3_server import S3View


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((900, 700), 80).convert("RGB").save(buffer, "JPEG", quality=95)
    return buffer.getvalue()


@pytest.fixture
def s3_server(tmp_path, live_database_template, seaweed):
    view = S3View(seaweed, seaweed.bucket, tmp_path / "spool")
    env = {
        **seaweed.env(view.spool),
        "PHOTO_STORE": view.photos,
        "ATTACHMENT_STORE": view.attachments,
    }
    url, drop = live_database_template.copy(tmp_path)
    with serving(tmp_path, url, drop, env=env) as server:
        server.view = view
        yield server


@pytest.mark.live
def test_a_cut_upload_leaves_nothing_in_s3_and_the_retry_stores_it(s3_server):
    view = s3_server.view
    client = s3_server.client("engineer")
    data = _jpeg()
    sha = hashlib.sha256(data).hexdigest()
    head = (
        f"PUT /api/v1/photos/{sha} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        f"Content-Type: image/jpeg\r\nContent-Length: {len(data)}\r\n"
        f"Cookie: {client.cookie_header()}\r\nX-CSRF-Token: {client.csrf}\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", s3_server.port), timeout=10) as sock:
        sock.sendall(head.encode() + data[: len(data) // 2])
        # Cut only once the server is spooling the upload: a cut before it read anything
        # would leave nothing without testing anything.
        deadline = time.monotonic() + 10
        while not list(view.spool.rglob(".tmp-*")):
            assert time.monotonic() < deadline, "the server never started spooling the upload"
            time.sleep(0.01)
    deadline = time.monotonic() + 10
    while list(view.spool.rglob(".tmp-*")):  # the server notices the cut and drops the spool
        assert time.monotonic() < deadline, "the spooled half upload stayed"
        time.sleep(0.05)
    assert view.server.keys(view.bucket, view.prefix) == []  # nothing in S3, not even a temp
    assert client.request("HEAD", f"/api/v1/photos/{sha}").status == 404
    put = client.request("PUT", f"/api/v1/photos/{sha}", data, {"Content-Type": "image/jpeg"})
    assert put.status == 201, put.body
    assert client.request("HEAD", f"/api/v1/photos/{sha}").status == 200
    got = client.request("GET", f"/api/v1/photos/{sha}")
    assert got.status == 200 and hashlib.sha256(got.body).hexdigest() == sha
    assert [k.rsplit("/", 1)[-1] for k in view.server.keys(view.bucket, view.prefix)] == [sha]
