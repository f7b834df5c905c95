"""Photos in a report: read from the photo store, downscaled, embedded in the page or the PDF."""

from __future__ import annotations

import base64
import io
import os
from functools import lru_cache

from PIL import Image, UnidentifiedImageError

from server.services.core.photo_store import PhotoStore, get_store
from server.services.core.photo_sweep import TMP_PREFIX

MAX_SIDE = 400  # pixels: 250 dpi at the 40 mm a photo is printed, small enough for many photos
QUALITY = 70
PHOTOS_PER_ITEM = 4  # a failed item shows its first photos; the handover package has all


def jpeg(sha: str) -> bytes | None:
    """The photo as a JPEG at most MAX_SIDE wide or high; None if not stored or unreadable."""
    store = get_store()
    return _jpeg(store, sha) if store.exists(sha) else None


@lru_cache(maxsize=256)
def _jpeg(store: PhotoStore, sha: str) -> bytes | None:
    """Photos are content-addressed, so a cached thumbnail can never be stale (the handover
    package renders every month's reports: a photo is downscaled once). Thumbnails are also
    kept on the local disk (the store's directory, or the S3 store's spool directory) by
    content hash and size, so a new process reuses them."""
    cached = os.path.join(store.local_dir, "thumbs", f"{MAX_SIDE}q{QUALITY}", sha[:2], sha)
    try:
        with open(cached, "rb") as fh:
            return fh.read()
    except OSError:
        pass
    try:
        with store.open(sha) as fh, Image.open(fh) as image:
            image.draft("RGB", (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale, faster
            image.thumbnail((MAX_SIDE, MAX_SIDE))
            out = io.BytesIO()
            image.convert("RGB").save(out, "JPEG", quality=QUALITY)
    except (OSError, UnidentifiedImageError, ValueError):
        return None  # a damaged or foreign file: the report shows no picture for it
    # StoreUnavailable passes (and is not cached): the report is made again once S3 is back.
    data = out.getvalue()
    try:  # written whole then renamed: a reader never sees half a thumbnail
        os.makedirs(os.path.dirname(cached), exist_ok=True)
        # The store's temporary prefix: the photo sweep removes what a crash leaves behind.
        partial = os.path.join(os.path.dirname(cached), f"{TMP_PREFIX}{sha}.{os.getpid()}")
        with open(partial, "wb") as fh:
            fh.write(data)
        os.replace(partial, cached)
    except OSError:
        pass  # a read-only store still renders, without the cache
    return data


def data_url(sha: str) -> str | None:
    """The thumbnail as a data: URL, for the browser preview (its policy allows only those)."""
    data = jpeg(sha)
    return None if data is None else "data:image/jpeg;base64," + base64.b64encode(data).decode()


def embed(shas: list[str] | None) -> dict:
    """{'images': [stored shas], 'missing': [shas not in the store], 'more': count not shown};
    the template turns each sha into a picture with photo_src() (render.py)."""
    shas = list(dict.fromkeys(shas or []))
    store = get_store()
    shown = [sha for sha in shas[:PHOTOS_PER_ITEM] if store.exists(sha)]
    missing = [sha for sha in shas[:PHOTOS_PER_ITEM] if sha not in shown]
    return {"images": shown, "missing": missing, "more": max(0, len(shas) - PHOTOS_PER_ITEM)}
