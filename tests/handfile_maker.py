"""Hand-over files made as the phone makes them (pwa/static/js/handfile.js), for the server's
tests (docs/handover-file.md)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json

from tests.conftest import PASSWORD

PHONE = "p-0123456789abcdef01234567"


def sign_in(app, user, phone_id: str = PHONE) -> tuple[object, dict]:
    """A test client signed in as `user` from the phone; (client, csrf and phone_key answer)."""
    client = app.test_client()
    answer = client.post(
        "/api/v1/auth/login",
        json={"username": user.username, "password": PASSWORD, "phone_id": phone_id},
    )
    assert answer.status_code == 200, answer.get_json()
    return client, answer.get_json()


def jpeg(colour=(200, 30, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(out, "JPEG")
    return out.getvalue()


def secret_bytes(key: dict) -> bytes:
    text = key["secret"]
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def make(key: dict, user, records: list, photos: list[bytes] = (), **manifest_extra) -> bytes:
    """The file: manifest line, one line per photo, the signature line."""
    listed = [
        {"sha256": hashlib.sha256(p).hexdigest(), "size": len(p), "content_type": "image/jpeg"}
        for p in photos
    ]
    manifest = {
        "format": "xunjian-handfile",
        "version": 1,
        "key_id": key["key_id"],
        "phone_id": key["phone_id"],
        "user": {"id": user.id, "username": user.username},
        "created_at": "2026-11-30T18:00:00+08:00",
        "app_version": "0.1.0",
        "records": records,
        "photos": listed,
        **manifest_extra,
    }
    line = json.dumps(manifest, ensure_ascii=False).encode()
    return assemble(key, line, photos)


def assemble(key: dict, line: bytes, photos) -> bytes:
    mac = hmac.new(secret_bytes(key), b"xunjian-handfile-v1\n" + line, hashlib.sha256)
    out = [line]
    for photo in photos:
        sha = hashlib.sha256(photo).hexdigest()
        out.append(json.dumps({"photo": sha, "data": base64.b64encode(photo).decode()}).encode())
    signature = {"alg": "HMAC-SHA256", "key_id": key["key_id"], "mac": mac.hexdigest()}
    out.append(json.dumps({"signature": signature}).encode())
    return b"\n".join(out) + b"\n"


def receipt_ok(key: dict, text: str) -> dict:
    """The receipt's body, after checking the server's signature as the phone does."""
    line, sign = text.split("\n")[:2]
    mac = hmac.new(secret_bytes(key), b"xunjian-handfile-receipt-v1\n" + line.encode(), "sha256")
    assert json.loads(sign)["signature"]["mac"] == mac.hexdigest()
    return json.loads(line)
