"""Small generated JPEGs for the demo year, stored through the photo store like an upload."""

from __future__ import annotations

import hashlib
import io
import random

from PIL import Image, ImageDraw

from server.services.core.photo_store import get_store

MAX_BYTES = 2_000_000


def make_jpeg(rng: random.Random, width: int = 160, height: int = 120) -> bytes:
    """A deterministic little picture: a coloured background with a few shapes."""
    image = Image.new("RGB", (width, height), tuple(rng.randrange(40, 200) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(4):
        x, y = rng.randrange(width), rng.randrange(height)
        size = rng.randrange(10, 50)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.rectangle((x, y, x + size, y + size // 2), fill=colour)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=70)
    return out.getvalue()


def store_photo(rng: random.Random) -> str:
    """Generate, store, and return the photo's SHA-256 (its name in records)."""
    data = make_jpeg(rng)
    sha = hashlib.sha256(data).hexdigest()
    get_store().put_stream(sha, io.BytesIO(data), MAX_BYTES, len(data))
    return sha


class PhotoPool:
    """A few photos reused for routine photo items (the store keeps one copy per content),
    and a fresh photo for each failed item or fault."""

    def __init__(self, rng: random.Random, size: int = 8):
        self.rng = rng
        self.pool = [store_photo(rng) for _ in range(size)]
        self.fresh = 0

    def routine(self) -> str:
        return self.rng.choice(self.pool)

    def new(self) -> str:
        self.fresh += 1
        return store_photo(self.rng)
