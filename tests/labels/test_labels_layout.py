"""Text fits: shrunk, wrapped, cut with … only as a last resort; never outside the label or on the code."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from label_samples import make_label

from labels import LabelError, get_template, layout_label, load_templates
from labels.layout import ELLIPSIS, module_size
from labels.qr import QUIET_ZONE

TEMPLATES = sorted(load_templates())


def assert_fits(layout):
    for line in layout.lines:
        assert layout.inner.contains(line.box), line
        assert not line.box.overlaps(layout.qr_box), line
    boxes = [line.box for line in layout.lines]
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b), (a, b)
    assert layout.inner.contains(layout.qr_box)


@pytest.mark.parametrize("name", TEMPLATES)
def test_longest_texts_fit_every_template(name, longest_label):
    layout = layout_label(longest_label, get_template(name))
    assert_fits(layout)


@pytest.mark.parametrize("name", TEMPLATES)
def test_longest_texts_are_printed_whole(name, longest_label):
    """The brief's worst cases are shrunk and wrapped, never cut, on every template including 40x30."""
    lines = layout_label(longest_label, get_template(name)).lines
    by_role = {}
    for line in lines:
        by_role.setdefault(line.role, []).append(line.text)
    assert "".join(by_role["type"]) == longest_label.type_name
    assert "".join(by_role["model"]).replace(" ", "") == longest_label.model.replace(" ", "")
    assert "".join(by_role["owner"]) == longest_label.owner_line
    assert by_role["tag"] == [longest_label.tag]
    assert not any(ELLIPSIS in text for texts in by_role.values() for text in texts)


def test_short_text_keeps_its_full_size():
    lines = layout_label(make_label(type_name="音箱", model=""), get_template("a4-3x8")).lines
    sizes = {line.role: line.size for line in lines}
    assert sizes["type"] == sizes["owner"]  # nothing shrank the type name below the body size
    assert sizes["tag"] > sizes["type"]


def test_absurd_text_is_cut_with_an_ellipsis_but_still_fits():
    label = make_label(
        type_name="超长设备名称" * 20, model="MODEL-" * 30, site_name="很长的点位" * 10
    )
    layout = layout_label(label, get_template("roll-40x30"))
    assert_fits(layout)
    assert any(line.text.endswith(ELLIPSIS) for line in layout.lines)


@settings(max_examples=60, deadline=None)
@given(
    type_name=st.text(st.sampled_from("云媒体协作处理平台（）ABC-12 "), max_size=60),
    model=st.text(st.sampled_from("淳中MOBIUS-850 1/2.xyz"), max_size=60),
    owner=st.text(st.sampled_from("务川仡佬族苗族自治县医疗保障局 "), max_size=40),
    name=st.sampled_from(TEMPLATES),
)
def test_any_text_stays_inside_the_label(type_name, model, owner, name):
    label = make_label(type_name=type_name, model=model, owner_line=owner)
    assert_fits(layout_label(label, get_template(name)))


@pytest.mark.parametrize("name", TEMPLATES)
def test_code_and_quiet_zone_fit_their_box(name):
    template = get_template(name)
    layout = layout_label(make_label(), template)
    for modules in (21, 25, 29, 33):
        module = module_size(layout.qr_box, modules, template.printer_dpi)
        assert module * (modules + 2 * QUIET_ZONE) <= layout.qr_box.width + 1e-9
        if template.printer_dpi:
            dots = module / (25.4 / template.printer_dpi)
            assert dots == pytest.approx(round(dots)) and round(dots) >= 2


def test_code_too_big_for_the_label_is_refused():
    layout = layout_label(make_label(), get_template("roll-40x30"))
    with pytest.raises(LabelError, match="bigger template or a shorter LABEL_URL_BASE"):
        module_size(layout.qr_box, 177, 203)
