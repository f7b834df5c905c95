"""Inspection results: checking their shape, and judging each answer against its checklist item."""

from __future__ import annotations

import marshmallow as ma

from server.errors import Invalid
from server.services.core.photo_store import SHA256_RE

OUTCOMES = ("pass", "fail", "na")


class ResultsField(ma.fields.Field):
    """The list of item results, checked by hand: a phone sends ~20 per inspection and a
    nested marshmallow schema per result would cost more than storing them."""

    FIELDS = {"key", "value", "note", "photos"}

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, list):
            raise ma.ValidationError("A list of results is expected.")
        if len(value) > 200:
            raise ma.ValidationError("At most 200 results.")
        out, errors = [], {}
        for index, result in enumerate(value):
            problem = _result_problem(result)
            if problem:
                errors[index] = problem
                continue
            out.append(
                {
                    "key": result["key"],
                    "value": result.get("value"),
                    "note": result.get("note"),
                    "photos": result.get("photos") or [],
                }
            )
        if errors:
            raise ma.ValidationError(errors)
        return out


def _result_problem(result) -> dict | None:
    """What is wrong with one result, or None; the common all-fine case costs a few checks."""
    if not isinstance(result, dict):
        return {"_schema": ["A result must be an object."]}
    key, note, photos = result.get("key"), result.get("note"), result.get("photos")
    fine = (
        result.keys() <= ResultsField.FIELDS
        and type(key) is str
        and 0 < len(key) <= 64
        and (note is None or (type(note) is str and len(note) <= 2000))
        and (
            not photos
            or (
                type(photos) is list
                and len(photos) <= 20
                and all(type(p) is str and SHA256_RE.match(p) for p in photos)
            )
        )
    )
    if fine:
        return None
    problem = {name: ["Unknown field."] for name in sorted(set(result) - ResultsField.FIELDS)}
    if not isinstance(key, str) or not 1 <= len(key) <= 64:
        problem["key"] = [
            "Missing data for required field."
            if key is None
            else "An item key (1-64 characters) is expected."
        ]
    if note is not None and (not isinstance(note, str) or len(note) > 2000):
        problem["note"] = ["Text of at most 2000 characters is expected."]
    if photos is not None and (
        not isinstance(photos, list)
        or len(photos) > 20
        or not all(isinstance(p, str) and SHA256_RE.match(p) for p in photos)
    ):
        problem["photos"] = ["A list of at most 20 lowercase hex SHA-256 names is expected."]
    return problem or None


def evaluate(item, value) -> tuple[str, str | None, str | None, float | None]:
    """(outcome, reason, text, number) of one answer; raises ValueError saying what is wrong.

    null means "not answered" (outcome na, reason unanswered), except for a photo item,
    where the photos are the answer.
    """
    if value is None and item.type != "photo":
        return "na", "unanswered", None, None
    if item.type == "number":
        if value == "na":
            return "na", None, None, None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError('a number (or "na") is expected')
        low, high = item.min_value, item.max_value
        if (low is not None and value < low) or (high is not None and value > high):
            return "fail", "out_of_range", None, float(value)
        return "pass", None, None, float(value)
    if item.type == "pass_fail":
        if value not in OUTCOMES:
            raise ValueError('"pass", "fail" or "na" is expected')
        return value, None, None, None
    if value in OUTCOMES:
        return value, None, None, None
    if value is None:
        return "pass", None, None, None
    if not isinstance(value, str) or len(value) > 4000:
        raise ValueError("text (at most 4000 characters) is expected")
    return "pass", None, value, None


def evaluate_results(answers: list[dict], items: dict) -> tuple[list[dict], str]:
    """Result rows and the inspection's outcome (fail / partial / pass), or Invalid."""
    rows, errors, seen = [], {}, set()
    answered = {a.get("key") for a in answers}
    for index, result in enumerate(answers):
        key = result["key"]
        item = items.get(key)
        if item is None or key in seen:
            errors[str(index)] = {
                "key": ["not an item of this template" if item is None else "answered twice"]
            }
            continue
        seen.add(key)
        try:
            outcome, reason, text, number = evaluate(item, result["value"])
        except ValueError as exc:
            errors[str(index)] = {"value": [f"{key}: {exc}"]}
            continue
        if reason == "unanswered":
            answered.discard(key)
        if (
            item.type == "photo"
            and outcome == "pass"
            and not result["photos"]
            and item.photo_required
        ):
            outcome, reason = "fail", "no_photo"
        rows.append(
            {
                "item_key": key,
                "outcome": outcome,
                "reason": reason,
                "value_text": text,
                "value_number": number,
                "note": result["note"],
                "photos": result["photos"],
            }
        )
    if errors:
        raise Invalid(
            "Some results do not fit the checklist; see errors.",
            errors={"data": {"results": errors}},
        )
    outcomes = {r["outcome"] for r in rows}
    missing = [k for k, i in items.items() if i.required and k not in answered]
    overall = "fail" if "fail" in outcomes else ("partial" if missing else "pass")
    return rows, overall
