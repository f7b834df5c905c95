"""The audit log, for supervisors, admins and the client's auditors: filtered and paged."""

from datetime import timedelta

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server import periods
from server.api.base import DayRangePageArgs, db_id, paginate, roles_required
from server.api.out import Out, Timestamp, enum
from server.api.schemas import page_of
from server.extensions import db
from server.models import AuditLog, DeviceType, Room, Site, User
from server.security import AUDIT_READERS

blp = Blueprint("audit", __name__, url_prefix="/audit", description="Audit log")

CHANNELS = ("api", "cli")
ACTIONS = ("create", "update", "delete")


class AuditOut(Out):
    id = ma.fields.Integer()
    at = Timestamp()
    actor_id = ma.fields.Integer(allow_none=True)
    actor_label = ma.fields.String()
    channel = enum(CHANNELS)
    action = enum(ACTIONS)
    entity = ma.fields.String()
    entity_id = ma.fields.String()
    changes = ma.fields.Dict(
        metadata={"description": "create/delete: column → value; update: column → [old, new]"}
    )
    names = ma.fields.Dict(
        metadata={
            "description": "column → {id: name} for the ids of its changes that point at a user"
            " (username), site, room or device type (name), so a change reads in words"
        }
    )


class AuditQuery(DayRangePageArgs):
    entity = ma.fields.String(validate=ma.validate.Length(max=32))
    entity_id = ma.fields.String(validate=ma.validate.Length(max=64))
    actor = ma.fields.String(
        validate=ma.validate.Length(max=64), metadata={"description": "who: a username"}
    )
    actor_id = db_id(metadata={"description": "who: a user id"})
    channel = ma.fields.String(validate=ma.validate.OneOf(CHANNELS))
    action = ma.fields.String(validate=ma.validate.OneOf(ACTIONS))


# The tables an id in a change is named from, and the column that names a row.
NAMED = {
    "user": User.username,
    "site": Site.name,
    "room": Room.name,
    "device_type": DeviceType.name_zh,
}


def _target(entity: str, column: str) -> str | None:
    """The named table a column of an audited table points at (by its foreign key), if any."""
    table = db.metadata.tables.get(entity)
    if table is None or column not in table.columns:
        return None
    targets = {fk.column.table.name for fk in table.columns[column].foreign_keys}
    return next((t for t in targets if t in NAMED), None)


def _ids(value) -> list:
    values = value if isinstance(value, list) else [value]
    return [v for v in values if isinstance(v, int) and not isinstance(v, bool)]


def _name_references(rows: list[AuditLog]) -> None:
    """Give each row `names`: one query per named table for the whole page."""
    wanted: dict[str, set[int]] = {}
    found = []
    for row in rows:
        for column, value in (row.changes or {}).items():
            if (target := _target(row.entity, column)) and (ids := _ids(value)):
                wanted.setdefault(target, set()).update(ids)
                found.append((row, column, target, ids))
    names = {}
    for target, ids in wanted.items():
        column = NAMED[target]
        key = column.class_.id
        names[target] = dict(db.session.execute(sa.select(key, column).where(key.in_(ids))).all())
    for row in rows:
        row.names = {}
    for row, column, target, ids in found:
        known = {str(i): names[target][i] for i in ids if i in names[target]}
        if known:
            row.names.setdefault(column, {}).update(known)


@blp.route("")
@roles_required(*AUDIT_READERS)
@blp.arguments(AuditQuery, location="query")
@blp.response(200, page_of(AuditOut))
def list_audit(args):
    """Newest first; filter by entity, entity id, who (username or id), channel, action, days."""
    query = sa.select(AuditLog).order_by(AuditLog.id.desc())
    for field in ("entity", "entity_id", "actor_id", "channel", "action"):
        if field in args:
            query = query.where(getattr(AuditLog, field) == args[field])
    if "actor" in args:
        query = query.where(AuditLog.actor_label == args["actor"])
    if args.get("from_"):
        query = query.where(AuditLog.at >= periods.day_start(args["from_"]))
    if args.get("to"):
        query = query.where(AuditLog.at < periods.day_start(args["to"] + timedelta(days=1)))
    page = paginate(query, args["page"], args["per_page"])
    _name_references(page["items"])
    return page
