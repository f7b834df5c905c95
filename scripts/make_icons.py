#!/usr/bin/env python3
"""Draw the app icons (192, 512 and a maskable 512) with Pillow into pwa/static/icons/."""

from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "pwa" / "static" / "icons"
FONT = Path("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")
BLUE, WHITE = (7, 94, 196), (255, 255, 255)


def draw_icon(size: int, safe_fraction: float) -> Image.Image:
    """Blue square with a white 巡; safe_fraction keeps the glyph inside the maskable safe zone."""
    img = Image.new("RGB", (size, size), BLUE)
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(FONT), int(size * safe_fraction))
    draw.text((size / 2, size / 2), "巡", font=font, fill=WHITE, anchor="mm")
    return img


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    draw_icon(192, 0.62).save(OUT / "icon-192.png", optimize=True)
    draw_icon(512, 0.62).save(OUT / "icon-512.png", optimize=True)
    draw_icon(512, 0.45).save(OUT / "icon-maskable-512.png", optimize=True)


if __name__ == "__main__":
    main()
