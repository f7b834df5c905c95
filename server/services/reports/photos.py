"""Photos in a report: read from the photo store, downscaled, embedded as data: URLs."""

from __future__ import annotations

import base64
import io
from functools import lru_cache

from PIL import Image, UnidentifiedImageError

from server.services.photo_store import FilesystemPhotoStore, get_store

MAX_SIDE = 480  # pixels: sharp enough at 8 cm wide in print, small enough for many photos
QUALITY = 70
PHOTOS_PER_ITEM = 4  # a failed item shows its first photos; the handover package has all


def thumbnail(sha: str) -> str | None:
    """A JPEG data: URL of the photo at most MAX_SIDE wide or high; None if not stored."""
    store = get_store()
    return _thumbnail(str(store.root), sha) if store.exists(sha) else None


@lru_cache(maxsize=256)
def _thumbnail(root: str, sha: str) -> str | None:
    """Photos are content-addressed, so a cached thumbnail can never be stale (the handover
    package renders every month's reports: a photo is downscaled once)."""
    try:
        with open(FilesystemPhotoStore(root).path(sha), "rb") as fh, Image.open(fh) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, faster
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
