"""The one label font (a TrueType CJK + Latin face), registered lazily for reportlab and Pillow."""

from functools import cache, lru_cache
from pathlib import Path

FONT_PATH = Path(__file__).with_name("fonts") / "wqy-microhei.ttf"
FONT_NAME = "XunjianLabelSans"  # the name reportlab embeds (as a subset) in every PDF


@lru_cache(maxsize=1)
def reportlab_font():
    """Register the TTF with reportlab once; reportlab subsets it when a PDF is saved."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    font = TTFont(FONT_NAME, str(FONT_PATH))
    pdfmetrics.registerFont(font)
    return font


@lru_cache(maxsize=1)
def vertical_metrics() -> tuple[float, float]:
    """(ascent, descent) as fractions of the font size, descent positive, as FreeType lays lines out.

    These (from the hhea table) are taller than reportlab's OS/2-based ascent and cover every CJK glyph.
    """
    ascent, descent = pillow_font(1000).getmetrics()
    return ascent / 1000, descent / 1000


@cache
def char_width(char: str) -> float:
    """Advance width of one character at a font size of 1 (fraction of the em)."""
    return reportlab_font().stringWidth(char, 1)


def text_width(text: str) -> float:
    """Advance width of text at a font size of 1; reportlab adds advances without kerning, so do we."""
    return sum(map(char_width, text))


@lru_cache(maxsize=64)
def pillow_font(pixels: int):
    from PIL import ImageFont

    return ImageFont.truetype(str(FONT_PATH), pixels)
