"""OPTIONS and 405 name exactly the methods a URL serves; TRACE is a 405 with Allow."""

from __future__ import annotations

import re

import pytest

from server.extensions import api

PHOTO = "/api/v1/photos/" + "a" * 64


def allow(response) -> set[str]:
    return {m.strip() for m in response.headers["Allow"].split(",")}


@pytest.mark.parametrize(
    "url,methods",
    [
        ("/api/v1/auth/login", {"POST"}),
        ("/api/v1/auth/logout", {"POST"}),
        ("/api/v1/sync/push", {"POST"}),
        ("/api/v1/labels/print", {"POST"}),
        ("/api/v1/devices", {"GET", "HEAD", "POST"}),
        ("/api/v1/devices/GZ0B9D57", {"GET", "HEAD", "PATCH"}),
        (PHOTO, {"GET", "HEAD", "PUT"}),
        ("/api/v1/health", {"GET", "HEAD"}),
        ("/", {"GET", "HEAD"}),
        ("/d/GZ0B9D57", {"GET", "HEAD"}),
    ],
)
def test_options_and_trace_name_only_the_served_methods(client, url, methods):
    options = client.options(url)
    assert options.status_code == 200 and allow(options) == methods | {"OPTIONS"}
    trace = client.open(url, method="TRACE")
    assert trace.status_code == 405 and allow(trace) == methods | {"OPTIONS"}
    assert trace.get_json()["error"]["code_name"] == "method_not_allowed"


def test_every_api_route_allows_what_the_openapi_says(app, client):
    """No route advertises a method it does not serve (GET on POST-only routes was the bug)."""
    spec = api.spec.to_dict()
    for path, operations in spec["paths"].items():
        served = {
            m.upper() for m in operations if m in ("get", "post", "put", "patch", "delete", "head")
        }
        if "GET" in served:
            served.add("HEAD")
        response = client.options(re.sub(r"\{[^}]+\}", "1", path))
        assert response.status_code == 200, path
        assert allow(response) == served | {"OPTIONS"}, path


def test_wrong_method_on_an_api_route_is_405_not_the_app_shell(client):
    response = client.get("/api/v1/auth/login")
    assert (
        response.status_code == 405 and response.is_json and allow(response) == {"POST", "OPTIONS"}
    )
    assert client.options("/api/v1/no-such-thing").status_code == 404
