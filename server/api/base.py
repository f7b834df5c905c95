"""Shared API plumbing: the role guard (roles and groups: server/security.py), query schemas
(unknown parameters refused), period parameters, pagination."""

from __future__ import annotations

from functools import wraps

import marshmallow as ma
from flask import current_app, request
from flask_login import current_user

from server import errors, periods


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


def _takes_query(view) -> bool:
    """Whether a view declares a query schema (flask-smorest's @blp.arguments(..., location="query"))."""
    parameters = getattr(view, "_apidoc", {}).get("arguments", {}).get("parameters", [])
    return any(isinstance(p, dict) and p.get("in") == "query" for p in parameters)


def refuse_undeclared_query():
    """A route without a query schema takes no query parameters: any is a 422 naming it. The
    role check comes first, as on the routes whose QueryArgs schema refuses them."""
    if not request.args or not request.path.startswith("/api/v1/"):
        return None
    view = current_app.view_functions.get(request.endpoint)
    if view is None or _takes_query(view):
        return None
    roles = getattr(view, "allowed_roles", None)
    if roles and (not current_user.is_authenticated or current_user.role not in roles):
        return None  # the view answers 401 or 403
    names = sorted(request.args)
    raise errors.Invalid(
        f"This route takes no query parameters; remove {', '.join(names)}.",
        errors={"query": {name: ["Unknown field."] for name in names}},
    )


def db_id(**kwargs) -> ma.fields.Integer:
    """An id given in a query or body: within a 32-bit INTEGER like the <int:...> routes, so a huge
    number is a 422 naming the field, never a database overflow."""
    return ma.fields.Integer(validate=ma.validate.Range(min=1, max=2**31 - 1), **kwargs)


def _period_field(
    pattern: str, form: tuple[str, str], description: str = "", **kwargs
) -> ma.fields.String:
    """A period query parameter in server/periods.py's form; a 422 names the form expected."""
    return ma.fields.String(
        validate=ma.validate.Regexp(pattern, error=periods.form_hint(form)),
        metadata={"description": f"{form[1]} ({form[0]}, China time) {description}".strip()},
        **kwargs,
    )


def month_param(description: str = "", **kwargs) -> ma.fields.String:
    return _period_field(periods.MONTH_PATTERN, periods.MONTH_FORM, description, **kwargs)


def quarter_param(description: str = "", **kwargs) -> ma.fields.String:
    return _period_field(periods.QUARTER_PATTERN, periods.QUARTER_FORM, description, **kwargs)


def year_param(description: str = "", **kwargs) -> ma.fields.String:
    return _period_field(periods.YEAR_PATTERN, periods.YEAR_FORM, description, **kwargs)


class QueryArgs(ma.Schema):
    """The base of every query schema: a parameter the route does not take is a 422 naming it,
    since a misspelt filter must not silently widen the answer (routes without a query schema:
    refuse_undeclared_query)."""

    class Meta:
        unknown = ma.RAISE


def plan_period_param(description: str = "", **kwargs) -> ma.fields.String:
    """A plan's period: a quarter, a month or a year, by the kind of plan."""
    return _period_field(
        periods.PLAN_PERIOD_PATTERN, periods.PLAN_PERIOD_FORM, description, **kwargs
    )


class PageArgs(QueryArgs):
    page = ma.fields.Integer(load_default=1, validate=ma.validate.Range(min=1, max=1_000_000))
    per_page = ma.fields.Integer(load_default=50, validate=ma.validate.Range(min=1, max=500))


class DayRangePageArgs(PageArgs):
    """A page of rows between two China days (`from`, `to`, both optional, inclusive)."""

    from_ = ma.fields.Date(data_key="from", metadata={"description": "first day (China time)"})
    to = ma.fields.Date(metadata={"description": "last day, inclusive (China time)"})

    @ma.validates_schema
    def _ordered(self, data, **kwargs):
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ma.ValidationError("The last day comes before the first.", "to")


def paginate(query, page: int, per_page: int) -> dict:
    """Run a select with limit/offset and wrap the rows in the page envelope (dumped by the view's schema)."""
    from sqlalchemy import func, select

    from server.extensions import db

    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = db.session.scalars(query.limit(per_page).offset((page - 1) * per_page)).all()
    return {"items": rows, "page": page, "per_page": per_page, "total": total}
