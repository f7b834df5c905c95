"""Liveness and database status."""

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.api.out import Out, enum, optional
from server.extensions import db

blp = Blueprint("health", __name__, url_prefix="/health", description="Health")


class HealthOut(Out):
    status = enum(("ok", "degraded"))
    database = ma.fields.String(metadata={"description": "sqlite or postgresql; unreachable"})
    detail = optional(ma.fields.String(metadata={"description": "the database error (degraded)"}))


@blp.route("")
@blp.response(200, HealthOut)
@blp.alt_response(503, schema=HealthOut, description="the database is unreachable")
def health():
    """200 with the database status (503 when the database is unreachable)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        return {"status": "ok", "database": db.engine.dialect.name}, 200
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return {"status": "degraded", "database": "unreachable", "detail": str(exc)[:200]}, 503
