"""Test pictures for the phone's photo inputs (what a camera would hand the app)."""

import io

from PIL import Image


def jpeg_bytes(color=(200, 30, 30), size=(2400, 1800)) -> bytes:
    """A JPEG, by default camera-sized (bigger than the 1600 px the app keeps)."""
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG", quality=90)
    return buf.getvalue()
