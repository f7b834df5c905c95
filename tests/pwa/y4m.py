"""Write a Y4M video (what Chromium's fake camera plays) showing a QR code; test helper only."""

from pathlib import Path

import qrcode
from PIL import Image


def qr_frame(text: str, size=(640, 480)) -> Image.Image:
    """A white frame with the QR code for text in the middle, like a label held in front of the camera."""
    qr = qrcode.make(text, box_size=8, border=4).convert("RGB")
    side = min(size) * 3 // 4
    qr = qr.resize((side, side), Image.NEAREST)
    frame = Image.new("RGB", size, (235, 235, 235))
    frame.paste(qr, ((size[0] - side) // 2, (size[1] - side) // 2))
    return frame


def write_y4m(path: Path, frame: Image.Image, frames: int = 10, fps: int = 10) -> Path:
    """Encode frame as a 4:2:0 Y4M clip (Chromium loops it)."""
    w, h = frame.size
    y, cb, cr = frame.convert("YCbCr").split()
    half = (w // 2, h // 2)
    planes = (
        y.tobytes()
        + cb.resize(half, Image.BILINEAR).tobytes()
        + cr.resize(half, Image.BILINEAR).tobytes()
    )
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)
    return path


def write_y4m_sequence(path: Path, scenes: list[tuple[Image.Image, int]], fps: int = 5) -> Path:
    """Encode several same-sized frames, each shown `count` times, one after another (Chromium loops the clip)."""
    w, h = scenes[0][0].size
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{w} H{h} F{fps}:1 Ip A1:1 C420jpeg\n".encode())
        for frame, count in scenes:
            y, cb, cr = frame.convert("YCbCr").split()
            half = (w // 2, h // 2)
            planes = (
                y.tobytes()
                + cb.resize(half, Image.BILINEAR).tobytes()
                + cr.resize(half, Image.BILINEAR).tobytes()
            )
            for _ in range(count):
                out.write(b"FRAME\n" + planes)
    return path
