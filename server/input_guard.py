"""Text no database can store, refused at the edge: NUL characters and lone UTF-16 surrogates.

PostgreSQL text cannot hold U+0000, and neither database driver can encode an unpaired
surrogate (a JSON "\\ud83d" a JS client makes by cutting an emoji in half); either used to
reach the database and answer 500. Every query, path and form value, and every string in a
JSON body, is checked before a view runs: 422 in the error shape, naming the parameter.

sync.push is left to its own per-record check (services/sync/limits.py): one bad record there
is refused on its own while the rest of the batch is stored. What text is storable is defined
once, in server/storable.py.
"""

from __future__ import annotations

import json
from collections import deque

from flask import Flask, request

from server import strict_json
from server.errors import Invalid
from server.storable import text_problem

# Endpoints whose JSON body is checked record by record elsewhere.
JSON_CHECKED_ELSEWHERE = {"sync.push"}
MAX_REPORTED = 10


def bad_strings(value, limit: int = MAX_REPORTED) -> list[tuple[str, str]]:
    """(dotted path, problem) of unstorable strings and keys inside a JSON value, first ones
    first; iterative, so no nesting depth can exhaust the stack."""
    found: list[tuple[str, str]] = []
    queue = deque([("", value)])
    while queue and len(found) < limit:
        path, item = queue.popleft()
        if isinstance(item, str):
            if problem := text_problem(item):
                found.append((path or "_schema", problem))
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{path}.{key}" if path else str(key)
                if isinstance(key, str) and (problem := text_problem(key)):
                    found.append((name, "the key " + problem))
                queue.append((name, child))
        elif isinstance(item, list):
            queue.extend(
                (f"{path}.{index}" if path else str(index), child)
                for index, child in enumerate(item)
            )
    return found


def _multidict_problems(values) -> dict:
    errors: dict = {}
    for key, value in values.items(multi=True):
        for text, what in ((key, "the name "), (value, "")):
            if isinstance(text, str) and (problem := text_problem(text)):
                errors.setdefault(key, []).append(what + problem)
    return errors


def _refuse(location: str, errors: dict):
    name = next(iter(errors))
    where = {
        "query": "query parameter",
        "path": "path segment",
        "form": "form field",
        "json": "JSON field",
    }[location]
    raise Invalid(
        f"The {where} '{name}' {errors[name][0]}",
        errors={location: errors},
        code_name="unstorable_text",
    )


def _check_request():
    """Refuse unstorable text anywhere in the request before the view reads it."""
    if errors := _multidict_problems(request.args):
        _refuse("query", errors)
    path_values = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, str)}
    if errors := {k: [p] for k, v in path_values.items() if (p := text_problem(v))}:
        _refuse("path", errors)
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        if errors := _multidict_problems(request.form):
            _refuse("form", errors)
    if request.is_json and request.endpoint not in JSON_CHECKED_ELSEWHERE:
        try:
            body = strict_json.request_body(request)
        except json.JSONDecodeError:  # the argument parser answers it: 400 invalid_json
            return None
        if found := bad_strings(body):
            _refuse("json", {path: [problem] for path, problem in found})
    return None


def install(app: Flask) -> None:
    app.before_request(_check_request)
