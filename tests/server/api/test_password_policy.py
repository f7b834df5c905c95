"""The password rule (server/services/core/passwords.py): too short, the username, the commonest
passwords are refused wherever a password is set (create by API and CLI, admin reset, own change)."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from server.models import User
from server.services.core import passwords
from server.services.demo import DEMO_USERS
from tests.conftest import PASSWORD


@pytest.mark.parametrize(
    "password,username,problem",
    [
        ("short-9", "li.wei", "at least 10 characters"),
        ("li.wei", "li.wei", "at least 10 characters"),
        ("li.wei-2026-ok", "li.wei", "username"),
        ("LI.WEI-2026-ok", "li.wei", "username"),
        ("1234567890", "li.wei", "commonest"),
        ("password123", "li.wei", "commonest"),
        ("Qwertyuiop", "li.wei", "commonest"),
        ("woaini1314", "li.wei", "commonest"),  # one of the hand-written Chinese patterns
        ("dragon20262026", "li.wei", "commonest"),  # a common one with digits added
        ("aaaaabbbbb", "li.wei", "different characters"),
    ],
)
def test_weak_passwords_are_refused_with_a_reason(password, username, problem):
    found = passwords.problems(password, username)
    assert any(problem in message for message in found), found


@pytest.mark.parametrize(
    "password,username",
    [
        (PASSWORD, "engineer1"),
        ("live-password-9", "admin"),
        ("new-battery-77", "li.wei"),
        ("长城-烽火台-2026", "li"),
    ]
    + [(p, u) for u, _, _, p in DEMO_USERS],
)
def test_good_passwords_the_tests_and_the_demo_use_pass(password, username):
    assert passwords.problems(password, username) == []


def test_the_shipped_list_has_the_top_ten_thousand():
    common = passwords.common_passwords()
    assert len(common) > 10_000 and {"123456", "password", "qwerty"} <= common
    assert all(p == p.lower() and not p.startswith("#") for p in common)


def test_creating_a_user_refuses_a_common_password_naming_the_field(auth, db):
    answer = auth("admin").post(
        "/api/v1/users",
        json={
            "username": "li.wei",
            "display_name": "李伟",
            "role": "engineer",
            "password": "1234567890",
        },
    )
    assert answer.status_code == 422
    error = answer.get_json()["error"]
    assert "commonest" in error["errors"]["json"]["password"][0] and "password" in error["message"]
    assert db.session.scalar(sa.select(User.id).where(User.username == "li.wei")) is None


def test_creating_a_user_refuses_their_username_in_the_password(auth):
    answer = auth("admin").post(
        "/api/v1/users",
        json={
            "username": "zhang.san",
            "display_name": "张三",
            "role": "engineer",
            "password": "zhang.san-2026",
        },
    )
    assert answer.status_code == 422
    assert answer.get_json()["error"]["errors"]["json"]["password"] == [
        "must not be or contain the username"
    ]


def test_an_admin_reset_meets_the_rule(auth, factory, db):
    user = factory.user("engineer")
    answer = auth("admin").patch(f"/api/v1/users/{user.id}", json={"password": "password123"})
    assert answer.status_code == 422 and "password" in answer.get_json()["error"]["errors"]["json"]
    db.session.refresh(user)
    assert user.check_password(PASSWORD)  # unchanged


def test_the_cli_refuses_a_weak_password(app, db):
    result = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "wang.wu",
            "--role",
            "engineer",
            "--name",
            "王五",
            "--password",
            "qwertyuiop",
        ]
    )
    assert result.exit_code != 0 and "commonest" in result.output
    assert db.session.scalar(sa.select(User.id).where(User.username == "wang.wu")) is None
    ok = app.test_cli_runner().invoke(
        args=[
            "create-user",
            "wang.wu",
            "--role",
            "engineer",
            "--name",
            "王五",
            "--password",
            "new-battery-77",
        ]
    )
    assert ok.exit_code == 0, ok.output
