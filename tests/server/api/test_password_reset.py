"""An admin's one-time reset code: shown once, stored hashed, single use, expires; signing in
with it forces a new password (the policy applies) and the API answers nothing else meanwhile.
The last active admin cannot be demoted or disabled."""

from __future__ import annotations

from datetime import timedelta

import pytest
import sqlalchemy as sa

from server.models import AuditLog, User, UserSession, utcnow
from tests.conftest import PASSWORD

LOGIN, ME, PASSWORD_URL = "/api/v1/auth/login", "/api/v1/auth/me", "/api/v1/auth/password"
NEW = "黔东南-三座桥-走过去"


def reset_url(user) -> str:
    return f"/api/v1/users/{user.id}/reset-code"


def login(app, username, password):
    client = app.test_client()
    answer = client.post(LOGIN, json={"username": username, "password": password})
    return client, answer


def issue(auth, factory, role="engineer"):
    admin = auth("admin")
    user = factory.user(role)
    answer = admin.post(reset_url(user))
    assert answer.status_code == 201, answer.get_json()
    return admin, user, answer.get_json()


def test_the_code_is_shown_once_stored_hashed_and_ends_the_users_sessions(app, db, auth, factory):
    admin = auth("admin")
    user = factory.user("engineer")
    _, old = login(app, user.username, PASSWORD)
    assert old.status_code == 200
    answer = admin.post(reset_url(user))
    assert answer.status_code == 201
    body = answer.get_json()
    code = body["code"]
    assert len(code.replace("-", "")) == 12 and body["user"]["must_change_password"] is True
    assert body["expires_at"].endswith("Z")
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert code not in (stored.reset_code_hash or "") and len(stored.reset_code_hash) == 64
    alive = db.session.scalars(
        sa.select(UserSession).where(
            UserSession.user_id == user.id, UserSession.revoked_at.is_(None)
        )
    ).all()
    assert alive == []
    # The old password stops working: a reset is also for a stolen one.
    assert login(app, user.username, PASSWORD)[1].status_code == 401
    listed = admin.get("/api/v1/users?per_page=100").get_json()["items"]
    row = next(u for u in listed if u["id"] == user.id)
    assert "code" not in row and row["reset_code_expires_at"] is not None


def test_the_code_signs_in_once_then_a_new_password_is_required(app, auth, factory):
    _, user, body = issue(auth, factory)
    client, answer = login(app, user.username, body["code"].lower().replace("-", " "))
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["user"]["must_change_password"] is True
    assert answer.get_json()["current_password_required"] is False
    csrf = {"X-CSRF-Token": answer.get_json()["csrf_token"]}
    # Everything else is refused with one code until the new password is chosen.
    for method, url in (("GET", "/api/v1/devices"), ("GET", "/api/v1/auth/sessions")):
        refused = client.open(url, method=method, headers=csrf)
        assert refused.status_code == 403
        assert refused.get_json()["error"]["code_name"] == "password_change_required"
    assert client.get(ME).status_code == 200
    # The second use of the code fails like a wrong password.
    assert login(app, user.username, body["code"])[1].status_code == 401
    # The policy applies to the new password; no current password is asked for.
    weak = client.post(PASSWORD_URL, json={"new_password": "password1"}, headers=csrf)
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["errors"]["json"]
    good = client.post(PASSWORD_URL, json={"new_password": NEW}, headers=csrf)
    assert good.status_code == 204, good.get_json()
    assert client.get("/api/v1/devices").status_code == 200
    assert client.get(ME).get_json()["user"]["must_change_password"] is False
    assert login(app, user.username, NEW)[1].status_code == 200


def test_an_expired_code_says_so_and_signs_nobody_in(app, db, auth, factory):
    _, user, body = issue(auth, factory)
    db.session.get(User, user.id).reset_code_expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    _, answer = login(app, user.username, body["code"])
    assert answer.status_code == 401
    assert answer.get_json()["error"]["code_name"] == "reset_code_expired"


def test_a_new_code_replaces_the_earlier_one(app, auth, factory):
    admin, user, first = issue(auth, factory)
    second = admin.post(reset_url(user)).get_json()
    assert login(app, user.username, first["code"])[1].status_code == 401
    assert login(app, user.username, second["code"])[1].status_code == 200


def test_the_code_is_audited_without_the_secret(app, db, auth, factory):
    admin, user, body = issue(auth, factory)
    rows = db.session.scalars(
        sa.select(AuditLog).where(
            AuditLog.entity == "user",
            AuditLog.entity_id == str(user.id),
            AuditLog.action == "update",
        )
    ).all()
    changes = [r.changes for r in rows if "reset_code_hash" in r.changes]
    assert changes and rows[-1].actor_id == admin.user.id
    assert changes[-1]["reset_code_hash"][1] == "***"
    assert changes[-1]["must_change_password"] == [False, True]
    assert body["code"] not in str([r.changes for r in rows])


def test_own_account_and_disabled_users_get_no_code(app, db, auth, factory):
    admin = auth("admin")
    own = admin.post(reset_url(admin.user))
    assert own.status_code == 409 and own.get_json()["error"]["code_name"] == "own_account"
    user = factory.user("engineer")
    assert admin.patch(f"/api/v1/users/{user.id}", json={"active": False}).status_code == 200
    off = admin.post(reset_url(user))
    assert off.status_code == 409 and off.get_json()["error"]["code_name"] == "user_inactive"
    assert admin.post("/api/v1/users/99999/reset-code").status_code == 404


def test_a_demo_password_outside_the_demo_must_be_changed_and_needs_the_current_one(
    app, auth, factory
):
    from server.services.core import users

    users.create_user("engineer", "李工程师", "engineer", "gongcheng-demo-2026")
    from server.extensions import db

    db.session.commit()
    app.config["DEMO_MODE"] = False
    try:
        client, answer = login(app, "engineer", "gongcheng-demo-2026")
        assert answer.get_json()["user"]["must_change_password"] is True
        assert answer.get_json()["current_password_required"] is True
        csrf = {"X-CSRF-Token": answer.get_json()["csrf_token"]}
        assert client.get("/api/v1/sites").status_code == 403
        missing = client.post(PASSWORD_URL, json={"new_password": NEW}, headers=csrf)
        assert missing.status_code == 422
        assert "current_password" in missing.get_json()["error"]["errors"]["json"]
        done = client.post(
            PASSWORD_URL,
            json={"current_password": "gongcheng-demo-2026", "new_password": NEW},
            headers=csrf,
        )
        assert done.status_code == 204
        assert client.get("/api/v1/sites").status_code == 200
    finally:
        app.config["DEMO_MODE"] = True


@pytest.mark.parametrize("demo_mode", [True, False])
def test_seeding_the_demo_sets_the_flag_only_outside_demo_mode(app, db, demo_mode):
    from server.services.demo import seed_demo

    app.config["DEMO_MODE"] = demo_mode
    try:
        seed_demo()
        db.session.commit()
    finally:
        app.config["DEMO_MODE"] = True
    flags = set(db.session.scalars(sa.select(User.must_change_password)).all())
    assert flags == {not demo_mode}


def test_the_last_active_admin_is_not_demoted_or_disabled(app, db, auth, factory):
    admin = auth("admin")
    for change in ({"role": "supervisor"}, {"active": False}):
        refused = admin.patch(f"/api/v1/users/{admin.user.id}", json=change)
        assert refused.status_code == 409
        assert refused.get_json()["error"]["code_name"] == "last_admin"
    other = factory.user("admin")
    # With a second admin, one admin may demote the other, but not the last one left.
    assert admin.patch(f"/api/v1/users/{other.id}", json={"role": "engineer"}).status_code == 200
    db.session.expire_all()
    assert db.session.get(User, other.id).role == "engineer"
    own = admin.patch(f"/api/v1/users/{admin.user.id}", json={"active": False})
    assert own.get_json()["error"]["code_name"] == "last_admin"


def test_demoting_the_last_admin_outside_the_api_is_refused_too(app, db, factory):
    from server.errors import Conflict
    from server.services.core import users

    admin = factory.user("admin")
    with pytest.raises(Conflict) as refused:
        users.update_user(admin, role="viewer")
    assert refused.value.code_name == "last_admin"
    second = factory.user("admin")
    users.update_user(admin, role="viewer")
    assert db.session.get(User, second.id).role == "admin"
