"""Backup runs (read only): each backup made or attempted and its restore check."""

from datetime import timedelta

import marshmallow as ma
import sqlalchemy as sa
from flask_smorest import Blueprint

from server import periods
from server.api.base import DayRangePageArgs, paginate, roles_required
from server.api.out import Out, Timestamp, enum
from server.api.schemas import page_of
from server.errors import NotFound
from server.extensions import db
from server.models import BACKUP_STATES, BackupRun
from server.security import BACKUP_READERS

blp = Blueprint("backups", __name__, url_prefix="/backups", description="Backups")


class BackupRunOut(Out):
    id = ma.fields.Integer()
    started_at = Timestamp()
    finished_at = Timestamp()
    ran_by = ma.fields.String(metadata={"description": "task:backups.daily or cli:<os user>"})
    state = enum(BACKUP_STATES)
    reason = ma.fields.String(allow_none=True, metadata={"description": "why it failed"})
    file_name = ma.fields.String(allow_none=True)
    size = ma.fields.Integer(allow_none=True)
    sha256 = ma.fields.String(allow_none=True)
    db_kind = ma.fields.String()
    revision = ma.fields.String(allow_none=True, metadata={"description": "Alembic revision"})
    counts = ma.fields.Dict(metadata={"description": "table → rows at backup time"})
    digests = ma.fields.Dict(metadata={"description": "table → digest of its content hashes"})
    photos = ma.fields.Integer(allow_none=True)
    check_seconds = ma.fields.Float(allow_none=True)
    pruned_at = Timestamp(allow_none=True, metadata={"description": "file deleted (retention)"})


class BackupQuery(DayRangePageArgs):
    state = ma.fields.String(validate=ma.validate.OneOf(BACKUP_STATES))


def run_dict(run: BackupRun) -> dict:
    return {field: getattr(run, field) for field in BackupRunOut._declared_fields}


@blp.route("")
@roles_required(*BACKUP_READERS)
@blp.arguments(BackupQuery, location="query")
@blp.response(200, page_of(BackupRunOut))
def list_backups(args):
    """Newest first; filter by state and by the days they started (China time)."""
    query = sa.select(BackupRun).order_by(BackupRun.started_at.desc(), BackupRun.id.desc())
    if "state" in args:
        query = query.where(BackupRun.state == args["state"])
    if args.get("from_"):
        query = query.where(BackupRun.started_at >= periods.day_start(args["from_"]))
    if args.get("to"):
        query = query.where(BackupRun.started_at < periods.day_start(args["to"] + timedelta(1)))
    page = paginate(query, args["page"], args["per_page"])
    page["items"] = [run_dict(run) for run in page["items"]]
    return page


@blp.route("/<int:run_id>")
@roles_required(*BACKUP_READERS)
@blp.response(200, BackupRunOut)
def get_backup(run_id):
    """One backup run: its file, what it held, its restore check."""
    run = db.session.get(BackupRun, run_id)
    if run is None:
        raise NotFound(f"There is no backup run {run_id}.", code_name="backup_not_found")
    return run_dict(run)
