"""What any value of a pushed record must be for a database to hold it (docs/sync.md, limits).

Checked at the edge, before any schema, so one record a database would choke on (a lone
UTF-16 surrogate from a cut emoji, a NUL byte, an integer beyond 64 bits, NaN, a list nested
a thousand deep) is rejected alone as `invalid`, naming the field, instead of failing the
whole batch (a 500 retried for ever) or being mistaken for a busy database.
"""

from __future__ import annotations

import math

import marshmallow as ma

from server.storable import storable, text_problem

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
INT32_MIN, INT32_MAX = -(2**31), 2**31 - 1  # INTEGER columns (ids, versions) on PostgreSQL
MAX_DEPTH = 12  # a record needs 5 (envelope, data, results, a result, its photos)

BIG_INT = f"a whole number from {INT64_MIN} to {INT64_MAX} is expected"
NOT_FINITE = "NaN and Infinity are not numbers here; send a finite number"
TOO_DEEP = f"nested deeper than {MAX_DEPTH} levels; no field of a record is"
# For every id or version a record names: the range of the INTEGER column it is looked up in.
INT32 = ma.validate.Range(
    INT32_MIN, INT32_MAX, error=f"a whole number from {INT32_MIN} to {INT32_MAX} is expected"
)


def int32(value) -> bool:
    return type(value) is int and INT32_MIN <= value <= INT32_MAX


def _scalar_problem(value) -> str | None:
    kind = type(value)
    if kind is str:
        return text_problem(value)
    if kind is int:
        return None if INT64_MIN <= value <= INT64_MAX else BIG_INT
    if kind is float:
        return None if math.isfinite(value) else NOT_FINITE
    return None


def _label(key) -> str:
    """A key as it can be named in an answer (a bad key is shown escaped)."""
    key = str(key)
    return key if text_problem(key) is None else key.encode("utf-8", "backslashreplace").decode()


def _add(errors: dict, path: tuple, message: str) -> None:
    node = errors
    for part in path[:-1]:
        node = node.setdefault(part, {})
        if not isinstance(node, dict):  # a message already stands higher on this branch
            return
    leaf = node.setdefault(path[-1], [])
    if isinstance(leaf, list):
        leaf.append(message)


def problems(record) -> dict | None:
    """Field errors (keyed like marshmallow's: {"data": {"notes": [...]}}), or None."""
    return None if _fine(record) else _problems(record)


def _fine(value, depth: int = 0) -> bool:
    """True when nothing in the value breaks a limit: the common case, in one quick pass
    (about as costly as the record's content hash; depth is bounded, so no RecursionError)."""
    kind = type(value)
    if kind is dict or kind is list:
        if depth >= MAX_DEPTH:
            return False
        if kind is dict and not all(storable(key) for key in value):
            return False
        for item in value.values() if kind is dict else value:
            if type(item) is str:
                if not storable(item):
                    return False
            elif item is not None and not _fine(item, depth + 1):
                return False
        return True
    if kind is str:
        return storable(value)
    if kind is int:
        return INT64_MIN <= value <= INT64_MAX
    if kind is float:
        return math.isfinite(value)
    return True


def _problems(record) -> dict:
    """Every problem, each under its field's path; walks with its own stack (any depth)."""
    errors: dict = {}
    stack = [((), record)]
    while stack:
        path, value = stack.pop()
        kind = type(value)
        if kind is dict or kind is list:
            if len(path) >= MAX_DEPTH:
                _add(errors, path, TOO_DEEP)
                continue
            items = value.items() if kind is dict else enumerate(value)
            for key, item in items:
                if kind is dict and (problem := text_problem(key)):
                    _add(errors, (*path, _label(key)), f"the field name {problem}")
                    continue
                stack.append(((*path, _label(key)), item))
        elif problem := _scalar_problem(value):
            _add(errors, path or ("_schema",), problem)
    return errors
