"""Each sync, photo, visit and inspection endpoint answers 403 exactly to the roles not allowed."""

from __future__ import annotations

import pytest

from tests.server.api.permissions.sync import MATRIX

ROLES = ("viewer", "engineer", "supervisor", "admin")
SAMPLE = {
    "<int:conflict_id>": "999999",
    "<int:import_id>": "999999",
    "<sha256>": "ab" * 32,
    "<uuid>": "00000000-0000-4000-8000-000000000000",
}


@pytest.mark.parametrize("method,rule", sorted(MATRIX))
def test_roles(method, rule, auth):
    url = rule
    for placeholder, value in SAMPLE.items():
        url = url.replace(placeholder, value)
    for role in ROLES:
        response = auth(role).open(method, url, json={} if method in ("POST", "PUT") else None)
        assert (response.status_code == 403) == (role not in MATRIX[(method, rule)]), (
            role,
            response.status_code,
        )
