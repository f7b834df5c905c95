"""The backup file format: a clear header, then the payload in AES-256-GCM frames.

    b"XJBACKUP1\n" | u32 header length | header JSON | frames...
    frame = u32 length | ciphertext+tag of up to CHUNK bytes

Each frame's nonce is the file's random 8-byte prefix plus the frame number; its associated
data is the SHA-256 of magic+header, the frame number and a last-frame flag. So the header
(database kind, schema revision) cannot be changed, frames cannot be reordered, dropped or
cut off without the reader noticing. The header also carries a fingerprint of the key, so a
wrong key is told apart from an altered file.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import struct
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from server.errors import BackupError

MAGIC = b"XJBACKUP1\n"
CHUNK = 1 << 20
MAX_HEADER = 64 * 1024
TAG = 16


def parse_key(text: str | None) -> bytes:
    """BACKUP_KEY: 32 bytes as URL-safe base64 (what `xunjian backup --new-key` prints)."""
    if not (text or "").strip():
        raise BackupError(
            "BACKUP_KEY is not set: create one with `xunjian backup --new-key`, keep a copy "
            "away from the server, and set it in the environment.",
            code_name="backup_key_missing",
        )
    try:
        key = base64.urlsafe_b64decode(text.strip().encode())
    except (binascii.Error, ValueError):
        key = b""
    if len(key) != 32:
        raise BackupError(
            "BACKUP_KEY must be 32 bytes in URL-safe base64 (44 characters); "
            "create one with `xunjian backup --new-key`.",
            code_name="backup_key_invalid",
        )
    return key


def new_key() -> str:
    return base64.urlsafe_b64encode(os.urandom(32)).decode()


def fingerprint(key: bytes) -> str:
    """A short public name of the key (says which key a file needs, reveals nothing)."""
    return hmac.new(key, b"xunjian backup key fingerprint", hashlib.sha256).hexdigest()[:16]


def _aad(header_digest: bytes, number: int, last: bool) -> bytes:
    return header_digest + struct.pack(">IB", number, 1 if last else 0)


class SealedWriter:
    """A write-only file object that encrypts what it is given into `out`."""

    def __init__(self, out: BinaryIO, key: bytes, header: dict):
        self.out, self.aes = out, AESGCM(key)
        self.prefix = os.urandom(8)
        header = {**header, "key": fingerprint(key), "nonce_prefix": self.prefix.hex()}
        raw = json.dumps(header, sort_keys=True).encode()
        out.write(MAGIC + struct.pack(">I", len(raw)) + raw)
        self.digest = hashlib.sha256(MAGIC + raw).digest()
        self.buffer, self.number = bytearray(), 0

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:
            self._frame(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def _frame(self, plain: bytes, last: bool) -> None:
        nonce = self.prefix + struct.pack(">I", self.number)
        sealed = self.aes.encrypt(nonce, plain, _aad(self.digest, self.number, last))
        self.out.write(struct.pack(">I", len(sealed)) + sealed)
        self.number += 1

    def close(self) -> None:
        """The last frame (possibly empty): without it a reader knows the file was cut."""
        self._frame(bytes(self.buffer), last=True)
        self.buffer.clear()


def read_header(fh: BinaryIO) -> tuple[dict, bytes]:
    """The header of a backup file and the digest its frames are bound to."""
    if fh.read(len(MAGIC)) != MAGIC:
        raise BackupError(
            "This is not a xunjian backup file (it does not start with XJBACKUP1).",
            code_name="backup_not_a_backup",
        )
    (size,) = struct.unpack(">I", _exactly(fh, 4))
    if size > MAX_HEADER:
        raise _altered("its header is too long")
    raw = _exactly(fh, size)
    try:
        header = json.loads(raw)
    except ValueError:
        raise _altered("its header is not JSON") from None
    return header, hashlib.sha256(MAGIC + raw).digest()


def open_frames(fh: BinaryIO, key: bytes):
    """Check the key against the header; then yield the decrypted frames, each authenticated,
    the last one flagged. Any change to the file raises BackupError."""
    header, digest = read_header(fh)
    if header.get("key") != fingerprint(key):
        raise BackupError(
            f"This backup was encrypted with another key (fingerprint {header.get('key')}); "
            f"BACKUP_KEY has fingerprint {fingerprint(key)}. Set the key it was made with.",
            code_name="backup_wrong_key",
        )
    return header, _frames(fh, AESGCM(key), bytes.fromhex(header["nonce_prefix"]), digest)


def _frames(fh: BinaryIO, aes: AESGCM, prefix: bytes, digest: bytes):
    number = 0
    while True:
        head = fh.read(4)
        if len(head) < 4:
            raise _altered("it ends before its last part (cut off)")
        (size,) = struct.unpack(">I", head)
        if size < TAG or size > CHUNK + TAG:
            raise _altered(f"part {number} has an impossible length")
        sealed = _exactly(fh, size)
        nonce = prefix + struct.pack(">I", number)
        for last in (False, True):
            try:
                plain = aes.decrypt(nonce, sealed, _aad(digest, number, last))
                break
            except InvalidTag:
                continue
        else:
            raise _altered(f"part {number} does not authenticate")
        yield plain
        number += 1
        if last:
            if fh.read(1):
                raise _altered("it has bytes after its last part")
            return


def _exactly(fh: BinaryIO, size: int) -> bytes:
    data = fh.read(size)
    if len(data) != size:
        raise _altered("it ends in the middle of a part (cut off)")
    return data


def _altered(why: str) -> BackupError:
    return BackupError(
        f"The backup file was altered or damaged: {why}. Nothing was restored; use another "
        "copy of the backup.",
        code_name="backup_altered",
    )
