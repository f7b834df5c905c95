"""NUL characters and lone surrogates are refused at the edge with 422, never a database 500."""

from __future__ import annotations

import json

import pytest

from server.input_guard import bad_strings
from server.services.sync import limits as sync_limits
from server.storable import storable, text_problem
from tests.conftest import PASSWORD
from tests.sync_records import envelope, now_iso


def refused(response, location: str, name: str) -> str:
    assert response.status_code == 422, response.get_data()[:300]
    error = response.get_json()["error"]
    assert error["code_name"] == "unstorable_text" and name in error["message"]
    return error["errors"][location][name][0]


@pytest.mark.parametrize(
    "url,name",
    [
        ("/api/v1/regions?parent=%00", "parent"),
        ("/api/v1/devices?site=%00", "site"),
        ("/api/v1/faults?tag=GZ%00", "tag"),
        ("/api/v1/sites?region=52%0001", "region"),
        ("/api/v1/audit?entity=%00x", "entity"),
    ],
)
def test_nul_in_a_query_filter_is_a_422_naming_it(auth, url, name):
    assert "NUL" in refused(auth("admin").get(url), "query", name)


@pytest.mark.parametrize(
    "url,name",
    [
        ("/api/v1/devices/GZ%00", "tag"),
        ("/api/v1/sites/%00", "code"),
        ("/api/v1/coverage/sites/%00", "code"),
    ],
)
def test_nul_in_a_path_segment_is_a_422(auth, url, name):
    assert "NUL" in refused(auth("admin").get(url), "path", name)


@pytest.mark.parametrize("username", ["admin\x00", "\x00", "ad\udc80min", "\ud83d"])
def test_login_username_with_nul_or_a_lone_surrogate_is_a_422(client, factory, username):
    factory.user("admin", username="admin")
    body = json.dumps({"username": username, "password": PASSWORD})  # \\u escapes, as JS sends
    message = refused(
        client.post("/api/v1/auth/login", data=body, content_type="application/json"),
        "json",
        "username",
    )
    assert ("NUL" in message) == ("\x00" in username)


def test_nested_json_strings_and_keys_are_checked(auth, reference_data):
    admin = auth("admin")
    response = admin.post(
        "/api/v1/labels/print", json={"template": "a4-3x8", "tags": ["GZ0B9D57", "x\x00"]}
    )
    assert "NUL" in refused(response, "json", "tags.1")
    keyed = admin.post("/api/v1/devices", json={"type_code": "L09", "bad\x00key": 1})
    assert "key" in refused(keyed, "json", "bad\x00key")


def test_form_fields_are_checked(client):
    response = client.post("/api/v1/auth/login", data={"username": "a\x00"})
    assert "NUL" in refused(response, "form", "username")


def test_whole_characters_pass(client, factory):
    user = factory.user("engineer", username="eng-ok")
    user.display_name = "张工 🛠"
    response = client.post(
        "/api/v1/auth/login",
        data=json.dumps({"username": "eng-ok", "password": PASSWORD}),
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.get("/api/v1/regions?parent=5201%F0%9F%9B%A0").status_code == 200


def test_json_nested_ten_thousand_deep_is_a_400(client):
    response = client.post(
        "/api/v1/auth/login", data="[" * 10_000 + "]" * 10_000, content_type="application/json"
    )
    assert (
        response.status_code == 400 and response.get_json()["error"]["code_name"] == "invalid_json"
    )


def test_sync_push_records_are_left_to_the_per_record_check(auth):
    """One bad record must not refuse the whole batch at the edge (docs/sync.md)."""
    record = envelope(
        "visit",
        {"site_code": "5201\x0002", "inspection_kind": "quarterly", "started_at": now_iso()},
    )
    response = auth("engineer").post(
        "/api/v1/sync/push", json={"sent_at": now_iso(), "records": [record]}
    )
    assert response.status_code == 200 and len(response.get_json()["results"]) == 1


def test_the_checks_themselves():
    assert text_problem("正常 ok 🛠") is None
    assert "position 2" in text_problem("ab\x00")
    assert "U+D83D" in text_problem("x\ud83d")
    deep = {"a": [{"b": ["ok", "\x00"]}], "c\ud800": "fine"}
    assert [path for path, _ in bad_strings(deep)] == ["c\ud800", "a.0.b.1"]
    assert len(bad_strings(["\x00"] * 100)) == 10


@pytest.mark.parametrize("text", ["ok", "é", "😀", "a\x00b", "x\ud83d", "\udfff", "\ud83d\ude00"])
def test_the_edge_and_a_pushed_record_refuse_the_same_text(text):
    """One definition (server/storable.py): the edge check and the sync limits agree."""
    at_edge = bad_strings({"notes": text}) == []
    in_push = sync_limits.problems({"notes": text}) is None
    assert at_edge == in_push == storable(text)
    assert storable(text) == (text_problem(text) is None)
