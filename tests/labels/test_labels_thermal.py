"""TSPL and ZPL jobs: rendered back by a test-side printer, every QR decodes to its URL; text bitmaps
are the size the layout asks at 203 and 300 dpi; offsets and the calibration page move as in the PDF."""

import io

import label_samples
import pytest
import zxingcpp
from PIL import Image

import labels
from labels import LabelError, get_template, render_png, render_thermal
from labels.bitmaps import dots
from labels.fonts import pillow_font
from labels.thermal import _pages
from tests.thermal_printer import tspl_pages, zpl_pages


def pages_of(job: bytes, language: str, dpi: int) -> list[Image.Image]:
    return tspl_pages(job, dpi) if language == "tspl" else zpl_pages(job)


def decoded(image: Image.Image) -> list[str]:
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def ink_box(image: Image.Image, box=None):
    """Bounding box of the dark pixels (optionally inside box)."""
    area = image.crop(box) if box else image
    found = area.point(lambda v: 255 if v < 128 else 0).getbbox()
    if found and box:
        return (found[0] + box[0], found[1] + box[1], found[2] + box[0], found[3] + box[1])
    return found


@pytest.mark.parametrize("language", ["tspl", "zpl"])
@pytest.mark.parametrize("dpi", [203, 300])
def test_a_40x30_job_decodes_to_the_tag(language, dpi, longest_label):
    job = render_thermal([longest_label], "roll-40x30", language, dpi=dpi)
    [page] = pages_of(job, language, dpi)
    assert page.size == (round(40 * dpi / 25.4), round(30 * dpi / 25.4))
    assert decoded(page) == [longest_label.url]
    if language == "tspl":
        assert job.startswith(b"SIZE 40 mm,30 mm\r\nGAP 2 mm,0 mm\r\nDIRECTION 1,0\r\n")
        assert b"QRCODE " in job and b",M," in job
    else:
        assert job.startswith(b"^XA\r\n^PW") and b"^BQN,2," in job and b"^FDMA," in job


@pytest.mark.parametrize("language", ["tspl", "zpl"])
@pytest.mark.parametrize("dpi", [203, 300])
def test_text_bitmaps_match_the_png_at_the_printer_dpi(language, dpi, longest_label):
    """The bitmap text lands where the PNG (same layout, same pixel font size) draws it, and the tag
    grows with the dpi: 300/203 as tall in dots, the same height in millimetres."""
    template = get_template("roll-40x30")
    [page] = pages_of(render_thermal([longest_label], template, language, dpi=dpi), language, dpi)
    png = Image.open(io.BytesIO(render_png(longest_label, template, dpi=dpi))).convert("L")
    layout = labels.layout_label(longest_label, template)
    for line in layout.lines:
        box = tuple(
            round(dots(v, dpi))
            for v in (line.box.x, line.box.y, line.box.right + 1, line.box.bottom)
        )
        ours, theirs = ink_box(page, box), ink_box(png, box)
        assert ours and theirs, line.text
        assert all(abs(a - b) <= 1 for a, b in zip(ours, theirs)), (line.text, ours, theirs)
    tag = next(line for line in layout.lines if line.role == "tag")
    left, top, right, bottom = ink_box(
        page,
        tuple(
            round(dots(v, dpi)) for v in (tag.box.x, tag.box.y, tag.box.right + 1, tag.box.bottom)
        ),
    )
    ink_mm = (bottom - top) * 25.4 / dpi
    _, glyph_top, _, glyph_bottom = pillow_font(1000).getbbox(tag.text, anchor="ls")
    em_share = (glyph_bottom - glyph_top) / 1000  # the tag's glyphs' height, in ems of the font
    assert ink_mm == pytest.approx(em_share * tag.size * 25.4 / 72, abs=25.4 / dpi * 1.5)


def test_the_qr_cell_is_the_module_the_template_implies(longest_label):
    template = get_template("roll-40x30")
    for dpi in (203, 300):
        [(qrs, _)] = _pages([longest_label], template, dpi, None)
        code = labels.encode_qr(longest_label.url, "M")
        module = labels.layout.module_size(
            labels.layout_label(longest_label, template).qr_box, code.size, dpi
        )
        assert qrs[0].cell == round(module / (25.4 / dpi)) and qrs[0].ecc == "M"
    [(qrs, _)] = _pages([longest_label], template, 203, "Q")
    assert qrs[0].ecc == "Q"


@pytest.mark.parametrize("language", ["tspl", "zpl"])
def test_offsets_move_everything_as_in_the_pdf(language, longest_label):
    plain = get_template("roll-40x30")
    moved = get_template("roll-40x30", extra={"roll-40x30": {"offset_x": 1.0, "offset_y": -0.5}})
    [before] = pages_of(render_thermal([longest_label], plain, language), language, 203)
    [after] = pages_of(render_thermal([longest_label], moved, language), language, 203)
    a, b = ink_box(before), ink_box(after)
    assert after.size == before.size and decoded(after) == [longest_label.url]
    assert (b[0] - a[0], b[1] - a[1]) in {(8, -4), (8, -3), (7, -4), (7, -3)}  # 1 mm, -0.5 mm


@pytest.mark.parametrize("language", ["tspl", "zpl"])
def test_a_sheet_template_prints_every_slot(language):
    batch = [label_samples.make_label(f"GZ3K7M{c}Q") for c in "23456789"]
    job = render_thermal(batch, "a4-4x10", language, dpi=203)
    [page] = pages_of(job, language, 203)
    assert sorted(decoded(page)) == sorted(label.url for label in batch)


@pytest.mark.parametrize("language", ["tspl", "zpl"])
def test_the_calibration_page_prints_the_outline_where_the_offsets_put_it(language):
    template = get_template("roll-40x30", extra={"roll-40x30": {"offset_x": 1.0, "offset_y": 0.5}})
    job = labels.calibration_thermal(template, language, dpi=203)
    [page] = pages_of(job, language, 203)
    # the outline's left edge: the first dark column below the rulers, at the offset
    row = round(dots(15.5, 203))  # between two ruler ticks
    first_dark = min(x for x in range(40) if page.getpixel((x, row)) < 128)
    assert abs(first_dark - dots(1.0, 203)) <= 1  # 1 mm right, to the dot
    tick = round(dots(5, 203))
    assert min(page.getpixel((x, 1)) for x in (tick - 1, tick, tick + 1)) < 128  # the 5 mm tick


def test_bad_thermal_input_is_refused_before_anything_is_emitted(longest_label):
    with pytest.raises(LabelError, match="tspl"):
        render_thermal([longest_label], "roll-40x30", "epl")
    with pytest.raises(LabelError, match="203 or 300"):
        render_thermal([longest_label], "roll-40x30", "zpl", dpi=600)
    odd = label_samples.make_label("GZ3K7M2Q")
    odd = labels.LabelData(**{**odd.__dict__, "url": 'https://x.cn/d/"GZ'})
    with pytest.raises(LabelError, match="cannot carry"):
        render_thermal([longest_label, odd], "roll-40x30", "tspl")
    with pytest.raises(LabelError, match="no labels"):
        render_thermal([], "roll-40x30", "tspl")
