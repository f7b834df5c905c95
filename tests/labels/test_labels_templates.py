"""Templates are data: built-ins, validation with clear errors, overrides, offsets."""

import dataclasses
import json

import pytest

from labels import LabelError, get_template, load_templates

REQUIRED = {"a4-3x8", "a4-4x10", "roll-40x30", "roll-50x30", "roll-60x40"}


def test_builtin_templates_load():
    templates = load_templates()
    assert REQUIRED <= set(templates)
    a4 = templates["a4-3x8"]
    assert (a4.columns, a4.rows, a4.label_width, a4.label_height) == (3, 8, 70, 37)
    assert templates["roll-40x30"].printer_dpi == 203


def test_unknown_template_lists_the_known_ones():
    with pytest.raises(LabelError, match="unknown label template 'a5'.*a4-3x8"):
        get_template("a5")


def test_label_origins_follow_the_grid():
    t = get_template("a4-4x10")
    assert t.label_origin(0) == pytest.approx((9.7, 21.5))
    assert t.label_origin(5) == pytest.approx((9.7 + 48.3, 21.5 + 25.4))
    assert t.label_origin(40) == t.label_origin(0)  # the next page starts over


def test_adding_a_size_is_adding_a_record(tmp_path):
    path = tmp_path / "more.json"
    record = {
        "name": "roll-30x20",
        "page_width": 30,
        "page_height": 20,
        "columns": 1,
        "rows": 1,
        "label_width": 30,
        "label_height": 20,
        "padding": 1,
        "printer_dpi": 203,
    }
    path.write_text(json.dumps({"templates": [record]}), encoding="utf-8")
    assert get_template("roll-30x20", extra=path).label_width == 30


def test_override_changes_only_the_given_fields():
    t = get_template("a4-3x8", extra={"a4-3x8": {"offset_x": 0.8, "offset_y": -0.4}})
    assert (t.offset_x, t.offset_y, t.columns) == (0.8, -0.4, 3)


@pytest.mark.parametrize(
    "changes, message",
    [
        (
            {"offset_x": -3},
            "offset_x = -3 mm pushes labels off the page; use a value between -2.5 and 2.5",
        ),
        ({"offset_y": 4}, "offset_y = 4 mm pushes labels off the page"),
        ({"rows": 9}, "the grid needs 210 x 333.5 mm"),
        ({"label_width": 0}, "label_width is 0 mm, it must be greater than 0"),
        ({"gap_x": -1}, "gap_x is -1 mm, it must not be negative"),
        ({"columns": 2.5}, "columns is 2.5, expected a whole number"),
        ({"ecc": "Z"}, "ecc is 'Z'"),
        ({"padding": 20}, "padding 20 mm leaves no room"),
        ({"page_width": "210"}, "page_width is '210', expected a number"),
    ],
)
def test_bad_values_are_refused_with_what_and_how(changes, message):
    with pytest.raises(
        LabelError, match="template 'a4-3x8': " + message.replace("(", r"\(").replace(")", r"\)")
    ):
        load_templates({"a4-3x8": changes})
    with pytest.raises(LabelError):
        dataclasses.replace(get_template("a4-3x8"), **changes)


def test_roll_offset_is_limited_by_the_padding():
    assert get_template("roll-40x30", extra={"roll-40x30": {"offset_x": 1.5}}).offset_x == 1.5
    with pytest.raises(LabelError, match="between -1.5 and 1.5"):
        get_template("roll-40x30", extra={"roll-40x30": {"offset_x": 1.6}})


def test_unknown_and_missing_fields_are_named():
    with pytest.raises(LabelError, match="unknown field.*offsetx"):
        load_templates({"a4-3x8": {"offsetx": 1}})
    with pytest.raises(LabelError, match="missing field.*label_width"):
        load_templates(
            [
                {
                    "name": "new",
                    "page_width": 50,
                    "page_height": 30,
                    "columns": 1,
                    "rows": 1,
                    "label_height": 30,
                }
            ]
        )


def test_bad_templates_file_is_reported(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(LabelError, match="invalid JSON at line 1"):
        load_templates(path)
    with pytest.raises(LabelError, match="cannot read templates file"):
        load_templates(tmp_path / "missing.json")
