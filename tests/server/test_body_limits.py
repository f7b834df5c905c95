"""Request bodies are limited per route and refused before they are read (413, error shape)."""

from __future__ import annotations

import io
import json

import pytest

from server import body_limits
from tests.sync_records import inspection, now_iso

MB = 1024 * 1024


class Unread(io.RawIOBase):
    """A request body of `size` bytes that records how much of it anyone read (seekable,
    so the test client can measure it without reading)."""

    def __init__(self, size: int, fill: bytes = b" "):
        self.size, self.fill, self.position, self.read_bytes = size, fill, 0, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def seek(self, offset, whence=io.SEEK_SET):
        self.position = {io.SEEK_SET: 0, io.SEEK_CUR: self.position, io.SEEK_END: self.size}[
            whence
        ] + offset
        return self.position

    def tell(self):
        return self.position

    def readinto(self, buffer):
        n = max(0, min(len(buffer), self.size - self.position))
        buffer[:n] = self.fill * n
        self.position += n
        self.read_bytes += n
        return n


def assert_413(response, limit: int):
    assert response.status_code == 413, response.get_data()[:300]
    error = response.get_json()["error"]
    assert error["code_name"] == "too_large" and str(limit) in error["message"]
    return error


def test_a_200_mb_login_is_refused_unread(client):
    body = Unread(200 * MB)
    response = client.post("/api/v1/auth/login", input_stream=body, content_type="application/json")
    error = assert_413(response, body_limits.DEFAULT_LIMIT)
    assert "64 KiB" in error["message"] and body.read_bytes == 0


def test_a_chunked_login_is_cut_off_at_the_limit(client):
    """No Content-Length (Transfer-Encoding: chunked): read only up to the limit, then 413."""
    body = Unread(200 * MB, b"[")
    response = client.post(
        "/api/v1/auth/login",
        input_stream=body,
        content_type="application/json",
        headers={"Transfer-Encoding": "chunked"},
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert_413(response, body_limits.DEFAULT_LIMIT)
    assert body.read_bytes <= body_limits.DEFAULT_LIMIT + 64 * 1024


def test_a_signed_in_write_has_the_small_default(auth):
    engineer = auth("engineer")
    big = {"description": "x" * (body_limits.DEFAULT_LIMIT + 1)}
    assert_413(engineer.post("/api/v1/faults", json=big), body_limits.DEFAULT_LIMIT)


def full_batch() -> dict:
    """200 inspections of 20 items, each item with a note and a photo (a heavy real batch)."""
    photo = "ab" * 32
    template = {
        "id": 1,
        "version": 1,
        "inspection_kind": "quarterly",
        "items": [{"key": f"item.{n}", "type": "pass_fail"} for n in range(20)],
    }
    records = []
    for _ in range(200):
        record = inspection(template, "GZ0B9D57", photo=photo, notes="设备运行正常，已清洁。" * 10)
        for result in record["data"]["results"]:
            result.update(note="画面清晰，无异常。" * 10, photos=[photo, photo])
        records.append(record)
    return {"sent_at": now_iso(), "records": records}


def test_sync_push_takes_a_full_batch_and_refuses_more_than_its_limit(auth):
    engineer = auth("engineer")
    body = json.dumps(full_batch(), ensure_ascii=False).encode()
    assert 1 * MB < len(body) < body_limits.LIMITS["sync.push"] / 2
    response = engineer.post("/api/v1/sync/push", data=body, content_type="application/json")
    assert response.status_code == 200, response.get_json()
    assert len(response.get_json()["results"]) == 200
    limit = body_limits.LIMITS["sync.push"]
    too_big = engineer.post(
        "/api/v1/sync/push", input_stream=Unread(limit + 1), content_type="application/json"
    )
    assert "8 MiB" in assert_413(too_big, limit)["message"]


def test_photos_keep_their_own_streaming_limit(auth, app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path)
    response = auth("engineer").put(
        "/api/v1/photos/" + "a" * 64, input_stream=Unread(16 * MB), content_type="image/jpeg"
    )
    assert response.status_code == 413
    assert str(app.config["PHOTO_MAX_BYTES"]) in response.get_json()["error"]["message"]


@pytest.mark.parametrize("endpoint", sorted(body_limits.LIMITS))
def test_every_listed_endpoint_exists(app, endpoint):
    assert endpoint in app.view_functions
