"""Shared API plumbing: the role guard (roles and groups: server/security.py), pagination schema."""
from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask_login import current_user

from server import errors


def roles_required(*roles: str):
    """Allow only signed-in users whose role is listed; 401 if anonymous, 403 if wrong role."""

    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if not current_user.is_authenticated:
                raise errors.Unauthorized("Sign in first.")
            if current_user.role not in roles:
                raise errors.Forbidden(
                    f"Your role '{current_user.role}' may not do this; it needs one of: "
                    f"{', '.join(roles)}."
                )
            return view(*args, **kwargs)

        wrapper.allowed_roles = roles  # read by the permission-matrix test
        return wrapper

    return decorator


def db_id(**kwargs) -> ma.fields.Integer:
    """An id given in a query or body: within a 32-bit INTEGER like the <int:...> routes, so a huge
    number is a 422 naming the field, never a database overflow."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1), **kwargs)


class PageArgs(ma.Schema):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))


def paginate(query, page: int, per_page: int) -> dict:
    """Run a select with limit/offset and wrap the rows in the page envelope (dumped by the view's schema)."""
    from sqlalchemy import func, select

    from server.extensions import db

    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": rows, "page": page, "per_page": per_page,
            "total": total}
