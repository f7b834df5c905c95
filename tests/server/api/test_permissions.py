"""Every API endpoint × every role: 401 when anonymous, 403 exactly for roles not allowed.

The expected roles live in tests/server/api/permissions/<feature>.py (MATRIX, PUBLIC),
written by hand as the specification; a new endpoint without a row fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import re

import pytest

from server import create_app
from server.config import TestConfig
from tests.conftest import ROLES
from tests.server.api import permissions

WRITE = {"POST", "PUT", "PATCH", "DELETE"}


def _load_spec():
    matrix, public = {}, set()
    for info in pkgutil.iter_modules(permissions.__path__):
        module = importlib.import_module(f"{permissions.__name__}.{info.name}")
        for key, roles in getattr(module, "MATRIX", {}).items():
            assert key not in matrix, f"{key} is listed twice"
            matrix[key] = tuple(roles)
        public |= set(getattr(module, "PUBLIC", set()))
    return matrix, public


MATRIX, PUBLIC = _load_spec()


def _api_endpoints():
    app = create_app(TestConfig)
    found = set()
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/api/v1/"):
            continue
        for method in rule.methods - {"OPTIONS"}:
            # Flask answers HEAD wherever it answers GET; a HEAD row is only needed
            # where HEAD is its own operation (e.g. "is this photo already stored?").
            if method != "HEAD" or (method, rule.rule) in MATRIX:
                found.add((method, rule.rule))
    return found


ENDPOINTS = sorted(_api_endpoints())


def _concrete(rule: str) -> str:
    """Fill path parameters with placeholders; the role check runs before any lookup."""
    rule = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "X", rule)


def test_every_endpoint_has_a_row():
    missing = [e for e in ENDPOINTS if e not in MATRIX and e not in PUBLIC]
    stale = [e for e in MATRIX if e not in ENDPOINTS]
    assert not missing, f"add these to a permissions/<feature>.py MATRIX: {missing}"
    assert not stale, f"these rows name endpoints that do not exist: {stale}"


@pytest.mark.parametrize("method,rule", [e for e in ENDPOINTS if e in MATRIX])
def test_anonymous_gets_401(client, method, rule):
    response = client.open(_concrete(rule), method=method, json={})
    assert response.status_code == 401, response.get_data(as_text=True)
    if method != "HEAD":
        assert response.get_json()["error"]["code"] == 401


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("method,rule", [e for e in ENDPOINTS if e in MATRIX])
def test_role_matrix(auth, role, method, rule):
    user = auth(role)
    response = user.open(method, _concrete(rule), json={} if method in WRITE else None)
    allowed = role in MATRIX[(method, rule)]
    if allowed:
        assert response.status_code != 403, f"{role} was refused {method} {rule}"
    else:
        assert response.status_code == 403, (
            f"{role} got {response.status_code} for {method} {rule}, expected 403"
        )
        if method != "HEAD":  # a HEAD answer has no body
            assert response.get_json()["error"]["code_name"] == "forbidden"
