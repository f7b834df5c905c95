"""PDF and PNG output: every code decodes at 203 dpi with zxing-cpp, the font is embedded, errors print nothing."""

import dataclasses
import io
import random
import re

import pypdfium2
import pytest
import zxingcpp
from label_samples import make_label
from PIL import Image

from labels import LabelError, calibration_pdf, get_template, load_templates, render_pdf, render_png
from labels.fonts import FONT_PATH

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TEMPLATES = sorted(load_templates())
SMALLEST = min(
    TEMPLATES, key=lambda name: get_template(name).label_width * get_template(name).label_height
)


def some_labels(count: int, seed: int = 3, **fields):
    rng = random.Random(seed)
    return [
        make_label("".join(rng.choice(CROCKFORD) for _ in range(8)), **fields) for _ in range(count)
    ]


def decoded_urls(image: Image.Image) -> list[str]:
    return sorted(
        result.text
        for result in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    )


def rasterise(pdf: bytes, dpi: int) -> list[Image.Image]:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return [page.render(scale=dpi / 72, grayscale=True).to_pil() for page in document]
    finally:
        document.close()


def test_smallest_template_is_a_40x30_class_label():
    assert get_template(SMALLEST).label_height <= 30


@pytest.mark.parametrize("dpi", [203, 300])
@pytest.mark.parametrize("name", [SMALLEST, "roll-40x30"])
def test_png_codes_decode(name, dpi, longest_label):
    template = get_template(name)
    for label in [longest_label] + some_labels(5):
        image = Image.open(io.BytesIO(render_png(label, template, dpi=dpi)))
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
        assert image.size == (
            round(template.label_width / 25.4 * dpi),
            round(template.label_height / 25.4 * dpi),
        )
        assert decoded_urls(image) == [label.url]


def test_png_modules_are_whole_pixels(longest_label):
    image = Image.open(
        io.BytesIO(render_png(longest_label, get_template("roll-40x30"), dpi=203))
    ).convert("L")
    row = next(y for y in range(image.height) if image.getpixel((image.width // 8, y)) < 128)
    runs = [
        len(m.group())
        for m in re.finditer(
            r"0+|1+",
            "".join(
                "1" if image.getpixel((x, row + 1)) < 128 else "0" for x in range(image.width // 2)
            ),
        )
    ]
    finder_edge = runs[1]  # after the white margin: the finder pattern's top edge, 7 modules wide
    assert finder_edge % 7 == 0 and finder_edge // 7 >= 2


@pytest.mark.parametrize("name", TEMPLATES)
def test_every_code_on_the_pdf_decodes_at_203_dpi(name):
    template = get_template(name)
    labels = some_labels(template.per_page + 1 if template.per_page > 1 else 3, seed=len(name))
    pages = rasterise(render_pdf(labels, template), 203)
    assert len(pages) == -(-len(labels) // template.per_page)
    found = sorted(url for page in pages for url in decoded_urls(page))
    assert found == sorted(label.url for label in labels)


def test_q_level_codes_decode_too(longest_label):
    template = get_template(SMALLEST)
    [page] = rasterise(render_pdf([longest_label], template, ecc="Q"), 203)
    assert decoded_urls(page) == [longest_label.url]


def font_objects(pdf: bytes) -> tuple[list[bytes], list[bytes]]:
    base_fonts = re.findall(rb"/BaseFont\s*/([^\s/>]+)", pdf)
    return base_fonts, re.findall(rb"/FontFile2", pdf)


def test_pdf_embeds_a_subset_of_the_truetype_font(longest_label):
    pdf = render_pdf([longest_label], get_template("a4-3x8"))
    base_fonts, font_files = font_objects(pdf)
    assert font_files, "no embedded TrueType font program (FontFile2)"
    assert base_fonts and all(re.fullmatch(rb"[A-Z]{6}\+\S+", name) for name in base_fonts), (
        base_fonts
    )
    assert len(pdf) < FONT_PATH.stat().st_size / 20  # a subset, not the 4.6 MB font


def test_pdf_text_reads_back_the_same(longest_label):
    document = pypdfium2.PdfDocument(render_pdf([longest_label], get_template("roll-40x30")))
    try:
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    for expected in (longest_label.tag, "务川仡佬族苗族自治县医疗保障局", "云媒体协作处理平"):
        assert expected in text


def test_pdf_draws_the_code_as_vectors_not_images(longest_label):
    document = pypdfium2.PdfDocument(render_pdf(some_labels(3), get_template("a4-3x8")))
    try:
        kinds = [obj.type for obj in document[0].get_objects()]
    finally:
        document.close()
    assert pypdfium2.raw.FPDF_PAGEOBJ_IMAGE not in kinds
    assert kinds.count(pypdfium2.raw.FPDF_PAGEOBJ_PATH) == 3  # one merged path per code


def test_offsets_move_the_labels(longest_label):
    base = get_template("a4-3x8")
    shifted = dataclasses.replace(base, offset_x=2, offset_y=1)

    def code_corner(template):
        [page] = rasterise(render_pdf([longest_label], template), 203)
        [result] = zxingcpp.read_barcodes(page)
        assert result.text == longest_label.url
        return result.position.top_left

    before, after = code_corner(base), code_corner(shifted)
    assert after.x - before.x == pytest.approx(2 / 25.4 * 203, abs=2)
    assert after.y - before.y == pytest.approx(1 / 25.4 * 203, abs=2)


def test_empty_selection_is_refused():
    with pytest.raises(LabelError, match="no labels selected"):
        render_pdf([], get_template("a4-3x8"))


def test_a_bad_label_anywhere_prints_nothing():
    labels = some_labels(3) + [dataclasses.replace(make_label(), url="")]
    with pytest.raises(LabelError, match="label 4 .*url is empty"):
        render_pdf(labels, get_template("a4-3x8"))
    with pytest.raises(LabelError, match="label 2 is a dict"):
        render_pdf([make_label(), {"tag": "X"}], get_template("a4-3x8"))


def test_bad_dpi_ecc_and_template_are_refused():
    with pytest.raises(LabelError, match="use 203 or 300"):
        render_png(make_label(), get_template("roll-40x30"), dpi=150)
    with pytest.raises(LabelError, match="error correction"):
        render_pdf([make_label()], get_template("roll-40x30"), ecc="X")
    with pytest.raises(LabelError, match="labels.Template or a template name"):
        render_pdf([make_label()], 42)
    with pytest.raises(LabelError, match="unknown label template 'a5'"):
        render_png(make_label(), "a5")


def test_pdf_output_is_deterministic():
    labels = some_labels(4)
    assert render_pdf(labels, get_template("a4-4x10")) == render_pdf(
        labels, get_template("a4-4x10")
    )


@pytest.mark.parametrize("name", TEMPLATES)
def test_calibration_page_renders(name):
    template = get_template(name, extra={name: {"offset_x": 0.5, "offset_y": -0.5}})
    pdf = calibration_pdf(template)
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 1
        width, height = document[0].get_size()
        text = document[0].get_textpage().get_text_range()
    finally:
        document.close()
    assert (width, height) == pytest.approx(
        (template.page_width * 72 / 25.4, template.page_height * 72 / 25.4)
    )
    assert name in text and "+0.5 mm" in text and "-0.5 mm" in text
    assert font_objects(pdf)[1]
