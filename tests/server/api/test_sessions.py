"""Server-side sessions: signing out, a password change, a deactivation or "sign out everywhere"
end every copy of the cookies; remember-me tokens are random per sign-in, hashed and rotated."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import sqlalchemy as sa

from server.models import UserSession
from tests.conftest import PASSWORD

LOGIN, ME = "/api/v1/auth/login", "/api/v1/auth/me"
SESSION, REMEMBER = "session", "remember_token"


def sign_in(app, user, remember=True, client=None, csrf=""):
    client = client or app.test_client()
    answer = client.post(
        LOGIN,
        json={"username": user.username, "password": PASSWORD, "remember": remember},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.get_json()
    return client, answer.get_json()["csrf_token"]


def copy_of(app, client, *names):
    """Another browser holding copies of the named cookies (a stolen phone's, a copied file)."""
    thief = app.test_client()
    for name in names:
        thief.set_cookie(name, client.get_cookie(name).value)
    return thief


def write(client, csrf, url, json=None):
    return client.post(url, json=json, headers={"X-CSRF-Token": csrf})


def test_logout_ends_the_session_cookie_and_the_remember_cookie_everywhere(app, factory):
    user = factory.user("engineer")
    client, csrf = sign_in(app, user)
    session_copy, remember_copy = copy_of(app, client, SESSION), copy_of(app, client, REMEMBER)
    assert session_copy.get(ME).status_code == 200 and remember_copy.get(ME).status_code == 200
    assert write(client, csrf, "/api/v1/auth/logout").status_code == 204
    assert session_copy.get(ME).status_code == 401
    assert remember_copy.get(ME).status_code == 401
    assert client.get(ME).status_code == 401
    assert client.get_cookie(REMEMBER) is None and client.get_cookie(SESSION) is None


def test_an_admins_password_reset_ends_the_users_sessions(app, factory, auth):
    user = factory.user("engineer")
    client, _ = sign_in(app, user)
    copied = copy_of(app, client, SESSION, REMEMBER)
    answer = auth("admin").patch(f"/api/v1/users/{user.id}", json={"password": "new-battery-77"})
    assert answer.status_code == 200, answer.get_json()
    assert client.get(ME).status_code == 401 and copied.get(ME).status_code == 401


def test_an_admin_changing_their_own_password_stays_signed_in_here_only(app, factory):
    admin = factory.user("admin")
    here, csrf = sign_in(app, admin)
    elsewhere, _ = sign_in(app, admin)
    answer = here.patch(
        f"/api/v1/users/{admin.id}",
        json={"password": "new-battery-77"},
        headers={"X-CSRF-Token": csrf},
    )
    assert answer.status_code == 200, answer.get_json()
    assert here.get(ME).status_code == 200 and elsewhere.get(ME).status_code == 401


def test_a_deactivation_ends_the_sessions_for_good(app, factory, auth):
    user = factory.user("engineer")
    client, _ = sign_in(app, user)
    admin = auth("admin")
    assert admin.patch(f"/api/v1/users/{user.id}", json={"active": False}).status_code == 200
    assert client.get(ME).status_code == 401
    assert admin.patch(f"/api/v1/users/{user.id}", json={"active": True}).status_code == 200
    assert client.get(ME).status_code == 401  # reactivating does not bring the old cookies back
    assert sign_in(app, user)[0].get(ME).status_code == 200


def test_each_sign_in_gets_its_own_random_remember_cookie_stored_hashed(app, factory, db):
    user = factory.user("engineer")
    first, second = sign_in(app, user)[0], sign_in(app, user)[0]
    values = {first.get_cookie(REMEMBER).value, second.get_cookie(REMEMBER).value}
    assert len(values) == 2
    assert not any(value.startswith(f"{user.id}|") for value in values)  # no user id in it
    stored = db.session.scalars(sa.select(UserSession.token_hash)).all()
    tokens = [value.split("|")[0] for value in values]
    assert sorted(stored) == sorted(hashlib.sha256(t.encode()).hexdigest() for t in tokens)


def test_the_csrf_token_is_renewed_at_sign_in(app, factory, auth):
    user = factory.user("supervisor")
    client, first = sign_in(app, user)
    stolen = copy_of(app, client, SESSION)
    _, second = sign_in(app, user, client=client, csrf=first)  # again, in the same browser
    assert second != first
    assert client.get(ME).get_json()["csrf_token"] == second
    assert write(client, first, "/api/v1/auth/logout").get_json()["error"]["code_name"] == "csrf"
    assert stolen.get(ME).status_code == 401  # and the browser's previous session ended
    assert write(client, second, "/api/v1/auth/logout").status_code == 204
    _, third = sign_in(app, user, client=client)  # after signing out
    assert third not in (first, second)


def test_sign_out_everywhere(app, factory):
    user = factory.user("engineer")
    phone, csrf = sign_in(app, user)
    laptop, _ = sign_in(app, user, remember=False)
    other = sign_in(app, factory.user("engineer"))[0]
    assert write(phone, csrf, "/api/v1/auth/logout-all").status_code == 204
    assert phone.get(ME).status_code == 401 and laptop.get(ME).status_code == 401
    assert other.get(ME).status_code == 200  # someone else's sessions are theirs


def test_changing_ones_own_password(app, factory):
    user = factory.user("engineer")
    phone, csrf = sign_in(app, user)
    laptop, _ = sign_in(app, user)
    url = "/api/v1/auth/password"
    wrong = write(
        phone, csrf, url, {"current_password": "not-it-at-all", "new_password": "new-battery-77"}
    )
    assert (
        wrong.status_code == 422
        and "current_password" in wrong.get_json()["error"]["errors"]["json"]
    )
    weak = write(phone, csrf, url, {"current_password": PASSWORD, "new_password": "password1"})
    assert weak.status_code == 422 and "new_password" in weak.get_json()["error"]["errors"]["json"]
    assert laptop.get(ME).status_code == 200  # refused changes end nothing
    assert (
        write(
            phone, csrf, url, {"current_password": PASSWORD, "new_password": "new-battery-77"}
        ).status_code
        == 204
    )
    assert phone.get(ME).status_code == 200  # this one stays signed in
    assert laptop.get(ME).status_code == 401  # the others end
    answer = app.test_client().post(
        LOGIN, json={"username": user.username, "password": "new-battery-77"}
    )
    assert answer.status_code == 200


def test_guessing_the_current_password_meets_the_sign_in_brake(app, factory):
    user = factory.user("engineer")
    client, csrf = sign_in(app, user)
    for n in range(5):
        write(
            client,
            csrf,
            "/api/v1/auth/password",
            {"current_password": f"guess-{n}", "new_password": "new-battery-77"},
        )
    locked = write(
        client,
        csrf,
        "/api/v1/auth/password",
        {"current_password": PASSWORD, "new_password": "new-battery-77"},
    )
    assert locked.status_code == 429 and int(locked.headers["Retry-After"]) > 0


def test_a_remember_cookie_is_rotated_when_it_starts_a_browser_session(app, factory, db):
    user = factory.user("engineer")
    client, _ = sign_in(app, user)
    old = client.get_cookie(REMEMBER).value
    reopened = copy_of(app, client, REMEMBER)  # the browser restarted: no session cookie
    assert reopened.get(ME).status_code == 200
    new = reopened.get_cookie(REMEMBER).value
    assert new != old
    assert reopened.get(ME).status_code == 200
    late = app.test_client()
    late.set_cookie(REMEMBER, old)
    assert late.get(ME).status_code == 200  # a request sent at the same moment, within the grace
    row = db.session.scalar(sa.select(UserSession))
    row.rotated_at -= timedelta(seconds=app.config["SESSION_ROTATION_GRACE_SECONDS"] + 1)
    db.session.commit()
    late = app.test_client()
    late.set_cookie(REMEMBER, old)
    assert late.get(ME).status_code == 401  # the copied old cookie is now worthless
    assert reopened.get(ME).status_code == 200


def test_a_rotation_holds_even_when_the_first_request_fails(app, factory):
    """A phone reopened with only its remember cookie writes first: the CSRF check refuses
    (a new browser session has no token yet) but the rotated cookie it was sent still works."""
    user = factory.user("engineer")
    client, _ = sign_in(app, user)
    reopened = copy_of(app, client, REMEMBER)
    refused = reopened.post("/api/v1/auth/logout", headers={"X-CSRF-Token": "stale"})
    assert refused.status_code == 400
    assert reopened.get_cookie(REMEMBER).value != client.get_cookie(REMEMBER).value
    assert reopened.get(ME).status_code == 200


def test_sessions_end_when_idle_and_at_their_lifetime(app, factory, db):
    user = factory.user("engineer")
    short, _ = sign_in(app, user, remember=False)
    long, _ = sign_in(app, user, remember=True)
    rows = {row.remember: row for row in db.session.scalars(sa.select(UserSession))}
    assert rows[True].expires_at - rows[True].created_at == timedelta(
        days=app.config["REMEMBER_DAYS"]
    )
    assert rows[False].expires_at - rows[False].created_at == timedelta(
        hours=app.config["SESSION_LIFETIME_HOURS"]
    )
    rows[False].last_seen_at -= timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    rows[True].last_seen_at -= timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1)
    db.session.commit()
    assert short.get(ME).status_code == 401 and long.get(ME).status_code == 200
    rows[True].expires_at = rows[True].last_seen_at = rows[True].created_at
    db.session.commit()
    assert long.get(ME).status_code == 401


def test_my_sessions_lists_them_and_ends_a_lost_phones(app, factory):
    user = factory.user("engineer")
    lost_phone, _ = sign_in(app, user)
    laptop, csrf = sign_in(app, user, remember=False)
    listed = laptop.get("/api/v1/auth/sessions").get_json()
    assert len(listed) == 2 and [s["current"] for s in listed].count(True) == 1
    phone_row = next(s for s in listed if not s["current"])
    assert phone_row["remember"] is True and phone_row["expires_at"]
    other, other_csrf = sign_in(app, factory.user("engineer"))
    assert (
        other.delete(
            f"/api/v1/auth/sessions/{phone_row['id']}", headers={"X-CSRF-Token": other_csrf}
        ).status_code
        == 404
    )  # not theirs
    assert (
        laptop.delete(
            f"/api/v1/auth/sessions/{phone_row['id']}", headers={"X-CSRF-Token": csrf}
        ).status_code
        == 204
    )
    assert lost_phone.get(ME).status_code == 401 and laptop.get(ME).status_code == 200
    assert len(laptop.get("/api/v1/auth/sessions").get_json()) == 1
