"""Asset tags: GZ + 5 payload characters + 1 check character (see docs/tags.md).

The check character is a Damm-style check over GF(32): x∘y = 2·x + y is a
totally anti-symmetric quasigroup, so every single wrong character and every
swap of two neighbouring characters changes the check.
"""

from __future__ import annotations

import re

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
VALUE = {c: i for i, c in enumerate(ALPHABET)}
PREFIX = "GZ"
PAYLOAD_LEN = 5
TAG_LEN = len(PREFIX) + PAYLOAD_LEN + 1
_POLY = 0b100101  # x^5 + x^2 + 1, primitive over GF(2)
_SPACE = 32**PAYLOAD_LEN
_SCRAMBLE = 0x1A2B3C5  # odd, so multiplying by it is a bijection mod 32^5
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0"})
_TAG_IN_URL = re.compile(r"/d/([0-9A-Za-z-]{4,24})/?$", re.IGNORECASE)


class TagError(ValueError):
    """A string that is not a valid asset tag; the message says why."""


def _times_two(x: int) -> int:
    x <<= 1
    return x ^ _POLY if x & 0b100000 else x


def _fold(chars: str) -> int:
    interim = 0
    for c in chars:
        interim = _times_two(interim) ^ VALUE[c]
    return interim


def check_char(body: str) -> str:
    """The check character for a tag body (prefix + payload)."""
    return ALPHABET[_times_two(_fold(body))]


def normalize(raw: str) -> str:
    """Uppercase, drop spaces and dashes, read I/L as 1 and O as 0."""
    return re.sub(r"[\s\-]", "", raw).upper().translate(_CONFUSABLE)


def validate(raw: str) -> str:
    """Return the normalized tag or raise TagError saying what is wrong."""
    tag = normalize(raw)
    if len(tag) != TAG_LEN:
        raise TagError(f"A tag has {TAG_LEN} characters (e.g. GZ3K7M2Q); '{raw}' has {len(tag)}.")
    bad = sorted({c for c in tag if c not in VALUE})
    if bad:
        raise TagError(f"'{raw}' contains characters a tag never has: {' '.join(bad)}.")
    if not tag.startswith(PREFIX):
        raise TagError(f"Tags start with {PREFIX}; '{raw}' does not.")
    if _fold(tag) != 0:
        raise TagError(
            f"'{raw}' fails its check character: a character is mistyped or two are swapped."
        )
    return tag


def is_valid(raw: str) -> bool:
    try:
        validate(raw)
    except TagError:
        return False
    return True


def make_tag(serial_number: int) -> str:
    """The tag for the n-th issued tag: scrambled so neighbours do not look alike."""
    if not 0 <= serial_number < _SPACE:
        raise ValueError("tag number out of range")
    n = (serial_number * _SCRAMBLE + 0x5A5A5) % _SPACE
    payload = ""
    for _ in range(PAYLOAD_LEN):
        n, digit = divmod(n, 32)
        payload = ALPHABET[digit] + payload
    return from_payload(payload)


def from_payload(payload: str) -> str:
    """The full tag for a payload of PAYLOAD_LEN alphabet characters."""
    body = PREFIX + payload
    return body + check_char(body)


def tag_from_scan(text: str) -> str:
    """Read a tag from a scanned QR: a label URL (/d/ or /D/) or a bare tag."""
    text = text.strip()
    match = _TAG_IN_URL.search(text)
    return validate(match.group(1) if match else text)
