"""Liveness and database status."""
import sqlalchemy as sa
from flask_smorest import Blueprint

from server.extensions import db

blp = Blueprint("health", __name__, url_prefix="/health", description="Health")


@blp.route("")
def health():
    """200 with the database status (503 when the database is unreachable)."""
    try:
        db.session.execute(sa.text("SELECT 1"))
        return {"status": "ok", "database": db.engine.dialect.name}, 200
    except sa.exc.SQLAlchemyError as exc:
        db.session.rollback()
        return {"status": "degraded", "database": "unreachable", "detail": str(exc)[:200]}, 503
