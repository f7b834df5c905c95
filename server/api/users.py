"""User administration (admins only), and the engineers a supervisor may assign work to."""

import marshmallow as ma
import sqlalchemy as sa
from flask_login import current_user
from flask_smorest import Blueprint

from server.api.base import PageArgs, paginate, roles_required
from server.api.out import Out, Timestamp
from server.api.schemas import UserOut, page_of
from server.errors import ErrorSchema
from server.models import User
from server.security import ADMIN_ROLES, MANAGER_ROLES, ROLES
from server.services.core import password_reset, sessions
from server.services.core import users as user_service
from server.services.core.passwords import MIN_LENGTH
from server.services.faults import assignment

blp = Blueprint("users", __name__, url_prefix="/users", description="Users")


class UserIn(ma.Schema):
    username = ma.fields.String(
        required=True,
        validate=ma.validate.Regexp(
            r"^[a-z0-9_.-]{2,64}$", error="2-64 lowercase letters, digits, _ . -"
        ),
    )
    display_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=64))
    role = ma.fields.String(required=True, validate=ma.validate.OneOf(ROLES))
    # The rule (length, username, common passwords) is server/services/core/passwords.py's.
    password = ma.fields.String(
        required=True, validate=ma.validate.Length(max=256), metadata={"minLength": MIN_LENGTH}
    )
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))


class UserPatch(ma.Schema):
    display_name = ma.fields.String(validate=ma.validate.Length(min=1, max=64))
    role = ma.fields.String(validate=ma.validate.OneOf(ROLES))
    password = ma.fields.String(
        validate=ma.validate.Length(max=256), metadata={"minLength": MIN_LENGTH}
    )
    active = ma.fields.Boolean()
    phone = ma.fields.String(allow_none=True, validate=ma.validate.Length(max=32))


@blp.route("")
@roles_required(*ADMIN_ROLES)
@blp.arguments(PageArgs, location="query")
@blp.response(200, page_of(UserOut))
def list_users(args):
    """Users by username; paginated like every list."""
    return paginate(sa.select(User).order_by(User.username), args["page"], args["per_page"])


class AssignableEngineerOut(Out):
    id = ma.fields.Integer()
    username = ma.fields.String()
    display_name = ma.fields.String()
    phone = ma.fields.String(allow_none=True)


class AssignableEngineersOut(Out):
    items = ma.fields.List(ma.fields.Nested(AssignableEngineerOut))


@blp.route("/engineers")
@roles_required(*MANAGER_ROLES)
@blp.response(200, AssignableEngineersOut)
def list_engineers():
    """Active engineers by name: whom a supervisor may assign a fault to."""
    people = assignment.engineers()
    return {
        "items": [
            {"id": u.id, "username": u.username, "display_name": u.display_name, "phone": u.phone}
            for u in people
        ]
    }


@blp.route("", methods=["POST"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(UserIn)
@blp.response(201, UserOut)
def create_user(args):
    """Create a user with a role; the password is stored hashed."""
    return user_service.create_user(**args)


@blp.route("/<int:user_id>", methods=["PATCH"])
@roles_required(*ADMIN_ROLES)
@blp.arguments(UserPatch)
@blp.response(200, UserOut)
def update_user(args, user_id):
    """Change a user's name, role, password or active flag. A new password or a deactivation
    signs the user out everywhere (an admin changing their own password stays signed in here)."""
    return user_service.update_user(
        user_service.get_user(user_id),
        acting_user_id=current_user.id,
        acting_session=sessions.current(),
        **args,
    )


class ResetCodeOut(Out):
    code = ma.fields.String(metadata={"description": "shown once; only its hash is kept"})
    expires_at = Timestamp()
    user = ma.fields.Nested(UserOut)


@blp.route("/<int:user_id>/reset-code", methods=["POST"])
@roles_required(*ADMIN_ROLES)
@blp.response(201, ResetCodeOut)
@blp.alt_response(409, schema=ErrorSchema, description="own account, or a disabled one")
def issue_reset_code(user_id):
    """A one-time sign-in code for a user who forgot the password (valid once, for
    RESET_CODE_HOURS): the user's sessions end and the old password stops working; signed in
    with the code, the user must choose a new password. Tell it to the user yourself."""
    user = user_service.get_user(user_id)
    code, expires = password_reset.issue(user, acting_user_id=current_user.id)
    return {"code": code, "expires_at": expires, "user": user}, 201, {"Cache-Control": "no-store"}
