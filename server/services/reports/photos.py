"""Photos in a report: read from the photo store, downscaled, embedded as data: URLs."""

from __future__ import annotations

import base64
import io

from PIL import Image, UnidentifiedImageError

from server.services.photo_store import get_store

MAX_SIDE = 480  # pixels: sharp enough at 8 cm wide in print, small enough for many photos
QUALITY = 70
PHOTOS_PER_ITEM = 4  # a failed item shows its first photos; the handover package has all


def thumbnail(sha: str) -> str | None:
    """A JPEG data: URL of the photo at most MAX_SIDE wide or high; None if not stored."""
    try:
        store = get_store()
        if not store.exists(sha):
            return None
        with store.open(sha) as fh, Image.open(fh) as image:
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=QUALITY, optimize=True)
    except (OSError, UnidentifiedImageError, ValueError):
        return None  # a damaged or foreign file: the report lists it as missing
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode("ascii")


def embed(shas: list[str] | None) -> dict:
    """{'images': [data URLs], 'missing': [shas not in the store], 'more': count not shown}."""
    shas = list(dict.fromkeys(shas or []))
    shown, missing = [], []
    for sha in shas[:PHOTOS_PER_ITEM]:
        url = thumbnail(sha)
        (shown if url else missing).append(url or sha)
    return {"images": shown, "missing": missing, "more": max(0, len(shas) - PHOTOS_PER_ITEM)}
