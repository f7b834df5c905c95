"""Building blocks of response schemas: one time format (UTC with Z) and dict schemas that match
the dicts services build, key for key."""

from __future__ import annotations

import functools
import warnings
from collections.abc import Mapping
from datetime import date, datetime

import marshmallow as ma

from server.periods import iso

BINARY = {"type": "string", "format": "binary"}  # the OpenAPI schema of a file answer


class UndeclaredKeyWarning(UserWarning):
    """A view answered a key its response schema does not declare (the key was dropped)."""


def utc_z(value: datetime | str) -> str:
    """An instant as UTC with Z, e.g. 2026-03-01T02:00:00Z (naive values are UTC, as stored)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return iso(value)


def fast_dump(schema: type[ma.Schema], value):
    """What `schema().dump(value)` answers for a service's dict (or list of them), without
    marshmallow's field-by-field pass: for answers of thousands of rows (the coverage table and
    map), where that pass costs several times building them. Only the fields that change a value
    (instants, days, nested schemas, anything not a plain str/int/bool/float) are converted;
    tests check the result equals the schema's dump, so the two stay in step."""
    return _rows(_plan(schema), value) if isinstance(value, list) else _row(_plan(schema), value)


_PLAIN_FIELDS = (ma.fields.String, ma.fields.Integer, ma.fields.Boolean, ma.fields.Float)


@functools.cache
def _plan(schema: type[ma.Schema]) -> tuple:
    """(source key, answer key, converter or None) for each field the schema dumps."""
    return tuple(
        (field.attribute or name, field.data_key or name, _converter(field))
        for name, field in schema().dump_fields.items()
    )


def _converter(field: ma.fields.Field):
    if isinstance(field, ma.fields.List) and isinstance(field.inner, ma.fields.Nested):
        plan = _plan(type(field.inner.schema))
        return lambda rows: None if rows is None else _rows(plan, rows)
    if isinstance(field, ma.fields.Nested):
        plan = _plan(type(field.schema))
        if field.many:
            return lambda rows: None if rows is None else _rows(plan, rows)
        return lambda row: None if row is None else _row(plan, row)
    if type(field) in _PLAIN_FIELDS or isinstance(field, ma.fields.String):
        return None
    return lambda item: None if item is None else field._serialize(item, None, None)


def _row(plan: tuple, row: Mapping) -> dict:
    return {
        key: (convert(row[source]) if convert else row[source])
        for source, key, convert in plan
        if source in row
    }


def _rows(plan: tuple, rows) -> list[dict]:
    return [_row(plan, row) for row in rows]


class Timestamp(ma.fields.DateTime):
    """An instant, always written as UTC with Z; takes a datetime or the ISO string a service made."""

    def _serialize(self, value, attr, obj, **kwargs):
        return None if value is None else utc_z(value)


class Day(ma.fields.Date):
    """A calendar day, YYYY-MM-DD; takes a date or the ISO string a service made."""

    def _serialize(self, value, attr, obj, **kwargs):
        if value is None or isinstance(value, str):
            return value
        return value.isoformat() if isinstance(value, date) else str(value)


class Out(ma.Schema):
    """Response schema of a view that answers a dict.

    Every declared key is always in the answer (maybe null) unless the field says
    metadata={"optional": True}; the OpenAPI document lists them as required. A key of the dict
    that the schema does not declare would silently vanish from the answer: it raises an
    UndeclaredKeyWarning instead (an error under pytest), so schema and service stay in step.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.metadata.get("optional"):
                field.required = True

    @ma.post_dump(pass_original=True)
    def _nothing_dropped(self, data, original, **kwargs):
        if isinstance(original, Mapping):
            declared = {field.attribute or name for name, field in self.dump_fields.items()}
            dropped = sorted(set(original) - declared)
            if dropped:
                warnings.warn(
                    f"{type(self).__name__} does not declare {dropped}; the keys were "
                    "dropped from the answer",
                    UndeclaredKeyWarning,
                    stacklevel=2,
                )
        return data


class Computed(ma.fields.Function):
    """A value a function computes, documented in the OpenAPI as the field `like` would be
    (api.ErrorShapeApi teaches apispec to read it)."""

    def __init__(self, serialize, like: ma.fields.Field, **kwargs):
        super().__init__(serialize, **kwargs)
        self.like = like


def computed2properties(converter, field, ret: dict, **kwargs) -> dict:
    """apispec attribute function: a Computed field is described by its `like` field (its own
    metadata, e.g. a description, still wins)."""
    if not isinstance(field, Computed):
        return {}
    return {
        key: value for key, value in converter.field2property(field.like).items() if key not in ret
    }


def enum(values, **kwargs) -> ma.fields.String:
    """A string from a fixed set (OpenAPI `enum`; a nullable one lists null too, as OAS 3.0 wants)."""
    choices = (*values, None) if kwargs.get("allow_none") else tuple(values)
    return ma.fields.String(validate=ma.validate.OneOf(choices), **kwargs)


def optional(field: ma.fields.Field) -> ma.fields.Field:
    """Mark a field of an Out schema as present only sometimes (the docstring says when)."""
    field.metadata = {**field.metadata, "optional": True}
    return field
