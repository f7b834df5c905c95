"""Judging each answer against its checklist item."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from server.services.field.results import evaluate


def item(type_, low=None, high=None):
    return SimpleNamespace(type=type_, min_value=low, max_value=high)


@pytest.mark.parametrize(
    "check,value,expected",
    [
        (item("pass_fail"), "pass", "pass"),
        (item("pass_fail"), "na", "na"),
        (item("number", 0, 50), 12, "pass"),
        (item("number", 0, 50), 50.5, "fail"),
        (item("number", 0, 50), -1, "fail"),
        (item("number", 0, 50), "na", "na"),
        (item("number"), 1e9, "pass"),
        (item("text"), "ok", "pass"),
        (item("text"), "fail", "fail"),
        (item("photo"), None, "pass"),
        (item("pass_fail"), None, "na"),
        (item("number", 0, 1), None, "na"),
    ],
)
def test_evaluate_outcomes(check, value, expected):
    outcome, reason, _, _ = evaluate(check, value)
    assert outcome == expected
    assert (reason == "out_of_range") == (check.type == "number" and expected == "fail")
    assert (reason == "unanswered") == (value is None and check.type != "photo")


def test_unanswered_required_items_make_the_inspection_partial():
    from server.services.field.results import evaluate_results

    items = {
        "a": SimpleNamespace(type="pass_fail", required=True, photo_required=False),
        "b": SimpleNamespace(type="pass_fail", required=False, photo_required=False),
    }
    answer = {"note": None, "photos": []}
    rows, outcome = evaluate_results(
        [dict(answer, key="a", value=None), dict(answer, key="b", value="pass")], items
    )
    assert outcome == "partial" and rows[0]["reason"] == "unanswered"
    _, outcome = evaluate_results(
        [dict(answer, key="a", value="pass"), dict(answer, key="b", value=None)], items
    )
    assert outcome == "pass"


@pytest.mark.parametrize(
    "check,value",
    [
        (item("pass_fail"), "ok"),
        (item("pass_fail"), True),
        (item("number", 0, 1), "12"),
        (item("number", 0, 1), True),
        (item("text"), 12),
        (item("text"), "x" * 4001),
    ],
)
def test_evaluate_refuses_values_of_the_wrong_kind(check, value):
    with pytest.raises(ValueError):
        evaluate(check, value)
