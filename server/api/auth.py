"""Sign in, sign out, and who am I."""
import marshmallow as ma
from flask import request
from flask_login import current_user, login_required, login_user, logout_user
from flask_smorest import Blueprint

from server.api.base import ANY_ROLE, roles_required
from server.api.schemas import UserOut
from server.errors import ErrorSchema
from server.services import login_throttle
from server.setup import csrf_token

blp = Blueprint("auth", __name__, url_prefix="/auth", description="Sessions")
RETRY_AFTER = {"Retry-After": {"required": True, "description": "seconds to wait before trying again",
                               "schema": {"type": "integer", "minimum": 1}}}


class LoginIn(ma.Schema):
    username = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    password = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=256))
    remember = ma.fields.Boolean(load_default=True)


class SessionOut(ma.Schema):
    user = ma.fields.Nested(UserOut)
    csrf_token = ma.fields.String()


@blp.route("/login", methods=["POST"])
@blp.arguments(LoginIn)
@blp.response(200, SessionOut)
@blp.alt_response(401, schema=ErrorSchema, description="wrong username or password (remembered)")
@blp.alt_response(429, schema=ErrorSchema, headers=RETRY_AFTER,
                  description="too many failed sign-ins: wait Retry-After seconds")
def login(args):
    """Sign in with username and password; sets the session cookie. Repeated failures for an
    account or an address answer 429 for a while."""
    user = login_throttle.sign_in(args["username"], args["password"], request.remote_addr)
    login_user(user, remember=args["remember"])
    return {"user": user, "csrf_token": csrf_token()}


@blp.route("/logout", methods=["POST"])
@login_required
@blp.response(204)
def logout():
    """Sign out and forget the session."""
    logout_user()


@blp.route("/me")
@roles_required(*ANY_ROLE)
@blp.response(200, SessionOut)
def me():
    """The signed-in user and the CSRF token to send with writes."""
    return {"user": current_user, "csrf_token": csrf_token()}
