"""Query parameters: every route refuses the ones it does not take (422 naming them), and the
device search (q, serial) finds what it says."""

from __future__ import annotations

import re
from urllib.parse import urlencode

import pytest

from server import create_app
from server.api.base import QueryArgs
from server.config import TestConfig

DEVICES = "/api/v1/devices"


def _api_routes():
    app = create_app(TestConfig)
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if rule.rule.startswith("/api/v1/"):
            for method in sorted(rule.methods - {"OPTIONS"}):
                if method != "HEAD" or rule.methods == {"HEAD", "OPTIONS"}:
                    yield method, rule.rule, app.view_functions[rule.endpoint]


ROUTES = list(_api_routes())


def _concrete(rule: str) -> str:
    rule = re.sub(r"<int:[^>]+>", "1", rule)
    return re.sub(r"<(?:[^:>]+:)?[^>]+>", "X", rule)


@pytest.mark.parametrize("method, rule", [(m, r) for m, r, _ in ROUTES])
def test_every_route_refuses_an_unknown_query_parameter(reference_data, auth, method, rule):
    """Before, only /coverage did: /devices?serial=X or /faults/stats?year= answered as if unasked."""
    admin = auth("admin")  # every role group holds the admin: the role check passes everywhere
    answer = admin.open(method, f"{_concrete(rule)}?zz_unknown=1")
    assert answer.status_code == 422, (method, rule, answer.status_code)
    if method != "HEAD":
        assert answer.get_json()["error"]["errors"]["query"] == {"zz_unknown": ["Unknown field."]}


def test_every_query_schema_is_a_query_args():
    for _method, rule, view in ROUTES:
        for parameter in view._apidoc.get("arguments", {}).get("parameters", []):
            if isinstance(parameter, dict) and parameter["in"] == "query":
                schema = parameter["schema"]
                assert issubclass(
                    schema if isinstance(schema, type) else type(schema), QueryArgs
                ), rule


def test_the_role_check_still_comes_first(client, reference_data):
    assert client.get("/api/v1/spares?zz_unknown=1").status_code == 401
    assert client.get(f"{DEVICES}?zz_unknown=1").status_code == 401


@pytest.fixture
def registry(reference_data, factory):
    """Three devices at two bureaus: a camera with a serial, a display, and one in no room."""
    rooms = reference_data["rooms"]
    camera_type, display_type = _two_kinds(reference_data["types"].values())
    first_room, second_room = [
        room for _, room in sorted({code: room for (code, _), room in rooms.items()}.items())
    ][:2]
    camera = factory.device(camera_type.code, room=first_room, serial="SN-Cam-0042")
    display = factory.device(display_type.code, room=second_room, serial="DX-77")
    loose = factory.device(display_type.code, room=None, status="spare")
    return {
        "camera": camera,
        "display": display,
        "loose": loose,
        "camera_type": camera_type,
        "display_type": display_type,
        "first_site": first_room.site,
        "second_site": second_room.site,
    }


def _two_kinds(types):
    by_kind = {}
    for dtype in types:
        by_kind.setdefault(dtype.kind, dtype)
    first, second = list(by_kind.values())[:2]
    return first, second


def _tags(client, **params) -> set[str]:
    answer = client.get(f"{DEVICES}?{urlencode({**params, 'per_page': 500})}")
    assert answer.status_code == 200, answer.get_json()
    return {d["tag"] for d in answer.get_json()["items"]}


def test_q_finds_a_device_by_part_of_its_tag_serial_type_or_site(registry, auth):
    viewer = auth("viewer")
    camera, display, loose = registry["camera"], registry["display"], registry["loose"]
    assert _tags(viewer, q=camera.tag[2:6].lower()) == {camera.tag}
    assert _tags(viewer, q="cam-00") == {camera.tag}  # serial, any case
    assert camera.tag in _tags(viewer, q=registry["camera_type"].name_en.upper())
    displays = _tags(viewer, q=registry["display_type"].name_zh)
    assert {display.tag, loose.tag} <= displays and camera.tag not in displays
    assert _tags(viewer, q=registry["second_site"].name) == {display.tag}
    assert _tags(viewer, q="no-such-thing-anywhere") == set()
    assert _tags(viewer, q="%") == set()  # a LIKE wildcard is a plain character


def test_serial_is_exact_and_q_combines_with_the_filters(registry, auth):
    viewer = auth("viewer")
    camera, display, loose = registry["camera"], registry["display"], registry["loose"]
    assert _tags(viewer, serial="sn-cam-0042") == {camera.tag}
    assert _tags(viewer, serial="SN-Cam") == set()
    name = registry["display_type"].name_zh
    assert _tags(viewer, q=name, status="spare") == {loose.tag}
    assert _tags(viewer, q=name, site=registry["second_site"].code) == {display.tag}
    page = viewer.get(f"{DEVICES}?{urlencode({'q': name, 'per_page': 1})}").get_json()
    assert page["total"] >= 2 and len(page["items"]) == 1
    assert viewer.get(f"{DEVICES}?q=").status_code == 422  # an empty search is a mistake, not "all"


def test_the_search_parameters_are_in_the_openapi_document(client):
    operation = client.get("/api/openapi.json").get_json()["paths"]["/api/v1/devices"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    assert {
        "q",
        "serial",
        "region",
        "site",
        "type",
        "kind",
        "status",
        "tag",
        "page",
        "per_page",
    } <= names


def test_plans_are_listed_by_a_period_in_the_one_spelling(reference_data, auth, factory):
    from server.extensions import db
    from server.services.plans import plans as plan_service

    factory.user("engineer")
    plan = plan_service.create_quarterly_plan("2026Q1", seed=1, user=factory.user("supervisor"))
    db.session.commit()
    viewer = auth("viewer")
    for spelling in ("2026Q1", "2026q1"):
        found = viewer.get(f"/api/v1/plans?kind=quarterly&period={spelling}").get_json()["items"]
        assert [p["id"] for p in found] == [plan.id]
    refused = viewer.get("/api/v1/plans?period=2026-Q1")
    assert refused.status_code == 422  # was an empty list, as if no plan existed
    assert "2026Q1" in refused.get_json()["error"]["errors"]["query"]["period"][0]
