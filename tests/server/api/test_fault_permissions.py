"""Every fault-feature endpoint answers 403 exactly to the roles its MATRIX leaves out (and 401 to nobody)."""

import re

import pytest

from tests.server.api.permissions.faults import MATRIX

ROLES = ("viewer", "engineer", "supervisor", "admin")


def _url(rule: str) -> str:
    rule = re.sub(r"<int:\w+>", "999999", rule)
    return rule.replace("<tag>", "GZ0000000").replace("<type_code>", "L09")


def test_matrix_covers_every_fault_rule(app):
    ours = ("/api/v1/faults", "/api/v1/swaps", "/api/v1/rma", "/api/v1/spares", "/custody")
    rules = {
        (method, rule.rule)
        for rule in app.url_map.iter_rules()
        if any(part in rule.rule for part in ours)
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }
    assert rules == set(MATRIX)


@pytest.mark.parametrize("role", ROLES)
def test_roles_get_403_exactly_when_not_listed(auth, role):
    signed_in = auth(role)
    for (method, rule), allowed in MATRIX.items():
        response = signed_in.open(method, _url(rule), json={})
        if role in allowed:
            assert response.status_code != 403, (method, rule, role)
        else:
            assert response.status_code == 403, (method, rule, role, response.get_json())


def test_anonymous_gets_401_or_csrf_400(client):
    for method, rule in MATRIX:
        assert client.open(_url(rule), method=method, json={}).status_code in (400, 401), rule
