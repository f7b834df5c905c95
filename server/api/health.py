"""Liveness (the process answers; no database) and readiness (its dependencies answer)."""

import marshmallow as ma
from flask_smorest import Blueprint

from server.api.out import Out, enum
from server.extensions import db
from server.observability import readiness

blp = Blueprint("health", __name__, url_prefix="/health", description="Health")


class HealthOut(Out):
    status = enum(("ok",))
    database = ma.fields.String(metadata={"description": "sqlite or postgresql (not contacted)"})


class CheckOut(Out):
    name = enum(tuple(name for name, _ in readiness.CHECKS))
    ok = ma.fields.Boolean()
    ms = ma.fields.Float(metadata={"description": "how long the check took"})
    detail = ma.fields.String(
        metadata={"description": "e.g. postgresql, writable, redis, skipped; failed (its kind)"}
    )


class ReadyOut(Out):
    status = enum(("ready", "not_ready"))
    failed = ma.fields.List(
        ma.fields.String(), metadata={"description": "the checks that failed (503)"}
    )
    checks = ma.fields.List(ma.fields.Nested(CheckOut))


@blp.route("")
@blp.response(200, HealthOut)
def health():
    """Liveness: 200 while the process serves requests; touches no database (see /ready)."""
    return {"status": "ok", "database": db.engine.dialect.name}


@blp.route("/ready")
@blp.response(200, ReadyOut)
@blp.alt_response(503, schema=ReadyOut, description="a dependency failed; `failed` names it")
def ready():
    """Readiness: the database, the photo and attachment stores and the task queue answer;
    503 naming the failed checks (their errors are in the server log under the request id)."""
    answer = readiness.run_checks()
    return answer, (503 if answer["failed"] else 200)
