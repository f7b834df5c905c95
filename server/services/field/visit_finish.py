"""The `visit_finish` record type: a visit pushed when it started is finished later.

Re-sending the visit with `finished_at` filled in is a conflict (its UUID is stored with other
content), so finishing is a record of its own, with its own UUID: idempotent like any record,
and it may arrive before its visit (it then waits, as a fault step waits for its fault).
When several finish one visit, the latest `finished_at` wins, whatever the arrival order.
"""

from __future__ import annotations

import marshmallow as ma
import sqlalchemy as sa

from server.errors import AppError, Forbidden, Invalid
from server.extensions import db
from server.models import Visit, VisitFinish
from server.security import MANAGER_ROLES
from server.services.sync.registry import RecordMeta, RecordType

WAITING, APPLIED, REFUSED = "waiting", "applied", "refused"


class VisitFinishData(ma.Schema):
    visit_uuid = ma.fields.UUID(required=True)
    finished_at = ma.fields.AwareDateTime(required=True)
    summary = ma.fields.String(
        load_default=None, allow_none=True, validate=ma.validate.Length(max=4000)
    )


def _problem(visit: Visit, finished_at, user_id: int, role: str) -> AppError | None:
    if visit.user_id != user_id and role not in MANAGER_ROLES:
        return Forbidden(
            "Only the engineer who made the visit, or a supervisor, may finish it.",
            errors={"data": {"visit_uuid": ["another engineer's visit"]}},
        )
    if finished_at < visit.started_at:
        return Invalid(
            "A visit cannot finish before it started.",
            errors={"data": {"finished_at": ["before the visit's started_at"]}},
        )
    return None


def _visit(visit_uuid: str) -> Visit | None:
    """The visit, stored or earlier in this push (the batch's visits are flushed first)."""
    cached = db.session.info.get("sync_visits", {}).get(visit_uuid)
    if cached is not None:
        return cached
    with db.session.no_autoflush:
        return db.session.scalar(sa.select(Visit).where(Visit.uuid == visit_uuid))


def store_visit_finish(data: dict, meta: RecordMeta) -> VisitFinish:
    visit_uuid = str(data["visit_uuid"])
    visit = _visit(visit_uuid)
    if visit is not None and (
        problem := _problem(visit, data["finished_at"], meta.user.id, meta.user.role)
    ):
        raise problem
    row = VisitFinish(
        visit_uuid=visit_uuid,
        finished_at=data["finished_at"],
        summary=data["summary"],
        state=WAITING,
        uuid=meta.uuid,
        user_id=meta.user.id,
        client_time=meta.client_time,
        server_time=meta.server_time,
        clock_skew_seconds=meta.clock_skew_seconds,
        lat=meta.lat,
        lon=meta.lon,
        accuracy_m=meta.accuracy_m,
        app_version=meta.app_version,
        content_hash=meta.content_hash,
    )
    db.session.add(row)
    if visit is not None:
        _apply(visit, row)
    return row


def _apply(visit: Visit, finish: VisitFinish) -> None:
    finish.visit_id, finish.state = visit.id, APPLIED
    if visit.finished_at is None or finish.finished_at >= visit.finished_at:
        values = {"finished_at": finish.finished_at}
        if finish.summary is not None:
            values["summary"] = finish.summary
        # A Core update: finishing changes nothing coverage counts, so no recompute is marked.
        db.session.execute(sa.update(Visit).where(Visit.id == visit.id).values(**values))


def apply_waiting(visits: list[Visit]) -> None:
    """Finishes that arrived before their visit (this push or an earlier one)."""
    by_uuid = {visit.uuid: visit for visit in visits}
    if not by_uuid:
        return
    waiting = db.session.scalars(
        sa.select(VisitFinish)
        .where(VisitFinish.visit_uuid.in_(by_uuid), VisitFinish.state == WAITING)
        .order_by(VisitFinish.finished_at)
    ).all()
    roles = _roles({finish.user_id for finish in waiting})
    for finish in waiting:
        visit = by_uuid[finish.visit_uuid]
        if _problem(visit, finish.finished_at, finish.user_id, roles[finish.user_id]):
            finish.visit_id, finish.state = visit.id, REFUSED
        else:
            _apply(visit, finish)


def _roles(user_ids: set[int]) -> dict[int, str]:
    from server.models import User

    if not user_ids:
        return {}
    return dict(
        db.session.execute(sa.select(User.id, User.role).where(User.id.in_(user_ids))).all()
    )


TYPES = [RecordType(name="visit_finish", schema=VisitFinishData, store=store_visit_finish)]
