"""The OpenAPI document describes what the server really answers: the error shape, a success
schema on every operation, paginated lists, HEAD on photos, Retry-After on 429, one time format."""

from __future__ import annotations

import re
import warnings

import marshmallow as ma
import pytest
import schemathesis

from server.api.out import Out, UndeclaredKeyWarning
from tests.conftest import PASSWORD
from tests.server.api.test_photos import jpeg, sha

TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T")


@pytest.fixture
def openapi(app):
    return schemathesis.openapi.from_wsgi("/api/openapi.json", app)


@pytest.fixture
def doc(client):
    return client.get("/api/openapi.json").get_json()


def conforms(openapi, method: str, url: str, response) -> None:
    """The answer matches the operation's declared status, content type, schema and headers."""
    operation = openapi.find_operation_by_path(method, url.split("?")[0])
    assert operation is not None, f"{method} {url} is not in the OpenAPI document"
    operation.validate_response(response)


def operations(doc):
    for path, item in doc["paths"].items():
        for method, operation in item.items():
            if method != "parameters":
                yield method, path, operation


def test_error_schema_is_the_real_wrapper(doc, openapi, auth):
    schemas, responses = doc["components"]["schemas"], doc["components"]["responses"]
    assert schemas["Error"]["required"] == ["error"]
    assert set(schemas["ErrorDetail"]["required"]) == {"code", "status", "message", "code_name"}
    for name in ("DEFAULT_ERROR", "UNPROCESSABLE_ENTITY"):
        assert responses[name]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/Error"
        }
    for _method, _path, operation in operations(doc):
        assert operation["responses"]["default"] == {"$ref": "#/components/responses/DEFAULT_ERROR"}
    admin = auth("admin")
    for method, url, kwargs, status in [
        ("get", "/api/v1/devices/GZ000000", {}, 404),
        ("get", "/api/v1/devices?per_page=0", {}, 422),
        ("post", "/api/v1/users", {"json": {"username": "X"}}, 422),
        (
            "post",
            "/api/v1/sites/520102/rooms",
            {"json": {"name": "x"}, "headers": {"X-CSRF-Token": "?"}},
            400,
        ),
    ]:
        response = admin.open(method, url, **kwargs)
        assert response.status_code == status
        conforms(openapi, method, url, response)


def test_every_operation_declares_its_success_answer(doc):
    missing = []
    for method, path, operation in operations(doc):
        success = {code: r for code, r in operation["responses"].items() if code.startswith("2")}
        if not success:
            missing.append(f"{method.upper()} {path}: no 2xx")
        for code, response in success.items():
            no_body = code == "204" or method == "head"
            if not no_body and not all(
                c.get("schema") for c in response.get("content", {None: {}}).values()
            ):
                missing.append(f"{method.upper()} {path} {code}")
    assert missing == []


def test_users_are_a_page(auth, openapi, factory):
    admin = auth("admin")
    for _ in range(3):
        factory.user("engineer")
    response = admin.get("/api/v1/users?per_page=2&page=2")
    conforms(openapi, "get", "/api/v1/users", response)
    page = response.get_json()
    assert (page["page"], page["per_page"], page["total"], len(page["items"])) == (2, 2, 4, 2)
    assert admin.get("/api/v1/users?per_page=501").status_code == 422


@pytest.fixture
def photo_store(app, tmp_path):
    app.config["PHOTO_STORE"] = str(tmp_path / "photos")


def test_head_on_photos_is_declared_and_answers_without_a_body(doc, auth, openapi, photo_store):
    head = doc["paths"]["/api/v1/photos/{sha256}"]["head"]
    assert {"200", "404"} <= set(head["responses"])
    engineer = auth("engineer")
    data = jpeg()
    url = f"/api/v1/photos/{sha(data)}"
    absent = engineer.head(url)
    assert absent.status_code == 404 and absent.data == b""
    engineer.put(url, data=data, content_type="image/jpeg")
    present = engineer.head(url)
    assert (
        present.status_code == 200 and present.data == b"" and present.content_type == "image/jpeg"
    )
    conforms(openapi, "head", url, present)
    assert engineer.head("/api/v1/photos/not-a-hash").status_code == 422


def test_a_locked_sign_in_says_when_to_retry(client, factory, doc, openapi):
    declared = doc["paths"]["/api/v1/auth/login"]["post"]["responses"]["429"]
    assert declared["headers"]["Retry-After"]["required"] is True
    user = factory.user("engineer")
    for n in range(5):
        client.post("/api/v1/auth/login", json={"username": user.username, "password": f"no-{n}"})
    locked = client.post(
        "/api/v1/auth/login", json={"username": user.username, "password": PASSWORD}
    )
    assert locked.status_code == 429
    assert 0 < int(locked.headers["Retry-After"]) <= 15 * 60
    conforms(openapi, "post", "/api/v1/auth/login", locked)


@pytest.mark.parametrize(
    "url", ["/api/v1/visits?user_id=9223372036854775808", "/api/v1/visits?user_id=0"]
)
def test_ids_in_queries_are_ranged(auth, url):
    """A 64-bit id overflowed SQLite's INTEGER (a 500); now a 422 naming the field."""
    response = auth("viewer").get(url)
    assert (
        response.status_code == 422 and "user_id" in response.get_json()["error"]["errors"]["query"]
    )


def test_ids_in_bodies_are_ranged(auth, reference_data):
    response = auth("admin").post("/api/v1/devices", json={"type_code": "L09", "room_id": 2**63})
    assert (
        response.status_code == 422 and "room_id" in response.get_json()["error"]["errors"]["json"]
    )


class Sample(Out):
    kept = ma.fields.String()


def test_a_key_the_schema_does_not_declare_is_loud():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert Sample().dump({"kept": "x"}) == {"kept": "x"}
        with pytest.raises(UndeclaredKeyWarning, match="forgotten"):
            Sample().dump({"kept": "x", "forgotten": 1})


def times_in(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from times_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from times_in(item)
    elif isinstance(value, str) and TIME.match(value):
        yield value
