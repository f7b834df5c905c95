"""Sign in, sign out (here or everywhere), who am I, my sessions, my password."""

import marshmallow as ma
from flask import current_app, request, session
from flask_login import current_user, login_user, logout_user
from flask_smorest import Blueprint

from server.api.base import roles_required
from server.api.schemas import UserOut
from server.errors import ErrorSchema, Invalid, NotFound
from server.extensions import api, db
from server.models import UserSession
from server.security import ANY_ROLE, csrf_token
from server.services import demo
from server.services.core import login_throttle, phone_keys, sessions, users
from server.services.core.passwords import MIN_LENGTH

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Sessions")
RETRY_AFTER = {
    "Retry-After": {
        "required": True,
        "description": "seconds to wait before trying again",
        "schema": {"type": "integer", "minimum": 1},
    }
}


class LoginIn(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))
    remember = ma.fields.Boolean(load_default=True)
    phone_id = ma.fields.String(
        load_default=None,
        allow_none=True,
        validate=ma.validate.Regexp(phone_keys.PHONE_ID_RE),
        metadata={"description": "the phone's install id: the answer then carries its file key"},
    )


class PhoneKeyOut(ma.Schema):
    """The key a phone signs its hand-over files with (docs/handover-file.md); shown once."""

    key_id = ma.fields.String()
    secret = ma.fields.String(metadata={"description": "base64url, 32 bytes"})
    phone_id = ma.fields.String()


class SignInAnswerOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String()
    current_password_required = ma.fields.Boolean()
    phone_key = ma.fields.Nested(
        PhoneKeyOut,
        allow_none=True,
        metadata={"description": "only when phone_id was sent: revoked with this session"},
    )


class SessionOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String()
    current_password_required = ma.fields.Boolean(
        metadata={"description": "false only right after signing in with a one-time code"}
    )


def _needs_current_password(user, this: UserSession | None) -> bool:
    """A password change asks for the current one, except in a session a one-time code began
    while the change is still owed (the old password was replaced by one nobody knows)."""
    return not (user.must_change_password and this is not None and this.by_reset_code)


def _session_answer(user) -> dict:
    return {
        "user": user,
        "csrf_token": csrf_token(),
        "current_password_required": _needs_current_password(user, sessions.current()),
    }


class PasswordChangeIn(ma.Schema):
    # Not needed only right after signing in with an admin's one-time code.
    current_password = ma.fields.String(validate=ma.validate.Length(min=1, max=256))
    new_password = ma.fields.String(
        required=True,
        validate=ma.validate.Length(min=1, max=256),
        metadata={"minLength": MIN_LENGTH},
    )


class SignInOut(ma.Schema):
    """One of the signed-in user's sessions (a browser or phone), for "my sessions"."""

    id = ma.fields.Integer()
    created_at = ma.fields.DateTime()
    last_seen_at = ma.fields.DateTime()
    expires_at = ma.fields.DateTime()
    remember = ma.fields.Boolean()
    user_agent = ma.fields.String(allow_none=True)
    address = ma.fields.String(allow_none=True)
    current = ma.fields.Boolean()


def _end_browser_session() -> None:
    """Clear this browser's cookies: Flask-Login's keys, the remember cookie, the CSRF token."""
    logout_user()
    session.pop("csrf_token", None)


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, SignInAnswerOut)
@blp.alt_response(401, schema=ErrorSchema, description="wrong username or password (remembered)")
@blp.alt_response(
    429,
    schema=ErrorSchema,
    headers=RETRY_AFTER,
    description="too many failed sign-ins: wait Retry-After seconds",
)
def login(args):
    """Sign in with username and password; sets the session cookie (and, with `remember`, the
    remember-me cookie) of a new server-side session, and a new CSRF token. Repeated failures
    for an account, or for many accounts from one address, answer 429 for a while."""
    user = login_throttle.sign_in(args["username"], args["password"], request.remote_addr)
    if not current_app.config["DEMO_MODE"] and demo.is_demo_login(user.username, args["password"]):
        user.must_change_password = True  # a published password outside the demo: replace it
    sessions.revoke_token(session.get("_user_id"))  # this browser's previous sign-in ends
    had_remember_cookie = (
        current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
    )
    session.clear()  # a fresh session: no old CSRF token or Flask-Login keys carried over
    row = sessions.start(user, remember=args["remember"], by_reset_code=user.signed_in_by_code)
    login_user(user, remember=args["remember"])
    if had_remember_cookie and not args["remember"]:
        session["_remember"] = "clear"
    answer = dict(_session_answer(user), phone_key=None)
    if args["phone_id"]:  # the phone keeps it with the session to sign files offline
        key, secret = phone_keys.issue(user, row, args["phone_id"])
        answer["phone_key"] = {"key_id": key.key_id, "secret": secret, "phone_id": key.phone_id}
    return answer


@blp.route("/logout", methods=["POST"])
@roles_required(*ANY_ROLE)
@blp.response(204)
def logout():
    """Sign out: this session ends on the server too, so a copy of its cookies is worthless."""
    sessions.revoke(sessions.current())
    _end_browser_session()


@blp.route("/logout-all", methods=["POST"])
@roles_required(*ANY_ROLE)
@blp.response(204)
def logout_all():
    """Sign out everywhere: every session of the signed-in user ends, this one included."""
    sessions.revoke_all(current_user.id)
    _end_browser_session()


@blp.route("/me")
@roles_required(*ANY_ROLE)
@blp.response(200, SessionOut)
def me():
    """The signed-in user, the CSRF token to send with writes, and whether a password change
    (user.must_change_password: nothing else is answered until then) asks for the current one."""
    return _session_answer(current_user)


@blp.route("/sessions")
@roles_required(*ANY_ROLE)
@blp.response(200, SignInOut(many=True))
def my_sessions():
    """The signed-in user's sessions that still sign in, most recently used first."""
    this = sessions.current()
    return [
        dict(_fields(row), current=row.id == (this.id if this else None))
        for row in sessions.alive_sessions(current_user.id)
    ]


def _fields(row: UserSession) -> dict:
    return {key: getattr(row, key) for key in SignInOut().fields if key != "current"}


@blp.route("/sessions/<int:session_id>", methods=["DELETE"])
@roles_required(*ANY_ROLE)
@blp.response(204)
def end_session(session_id):
    """End one of the signed-in user's sessions (e.g. a lost phone); ending this one signs out."""
    row = db.session.get(UserSession, session_id)
    if row is None or row.user_id != current_user.id:
        raise NotFound(f"No session {session_id} of yours.")
    this = sessions.current()
    sessions.revoke(row)
    if this is not None and row.id == this.id:
        _end_browser_session()


@blp.route("/password", methods=["POST"])
@roles_required(*ANY_ROLE)
@blp.arguments(PasswordChangeIn)
@blp.response(204)
@blp.alt_response(
    429,
    schema=api.ERROR_SCHEMA,
    headers=RETRY_AFTER,
    description="Too many wrong current passwords for the account.",
)
def change_password(args):
    """Change your own password (the current one is asked for, under the sign-in brake, except
    right after signing in with a one-time code); your other sessions end, this one stays
    signed in, and a required change is done."""
    this = sessions.current()
    if _needs_current_password(current_user, this):
        if not args.get("current_password"):
            raise Invalid(
                "Type your current password.",
                errors={"json": {"current_password": ["required"]}},
            )
        login_throttle.confirm_password(
            current_user, args["current_password"], request.remote_addr, field="current_password"
        )
    users.change_own_password(current_user._get_current_object(), args["new_password"], this)
