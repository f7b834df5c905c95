"""Who is acting, and the flush hooks that write the audit log and device history."""

from __future__ import annotations

import contextlib
from contextvars import ContextVar
from datetime import date, datetime
from decimal import Decimal

import sqlalchemy as sa
from flask import has_request_context
from flask_login import current_user
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from server.models import AuditLog, utcnow
from server.periods import iso

_cli_actor: ContextVar[tuple[int | None, str]] = ContextVar("cli_actor", default=(None, "system"))
# Records that are their own evidence (append-only, with who and when) are not repeated here.
_SKIP_TABLES = {
    "audit_log",
    "device_event",
    "visit",
    "inspection",
    "inspection_result",
    "meeting_check",
    "meeting_incident",
    "usage_register",
    "site_check",
    "sync_receipt",
    # the evidence chain is append-only and hash-linked: its own record of what was accepted
    "evidence_head",
    "evidence_link",
    # a phone's outbox report is overwritten at every sync: a state, not a change by a person
    "phone_report",
    "login_failure",
    "user_session",
    # the reminders' delivery log is itself a log of what was sent (admins read it)
    "reminder_delivery",
    "reminder_attempt",
    # a backup run is itself the record of what the system did (who ran it, when, the check)
    "backup_run",
    # a phone's file key comes with a sign-in, like user_session; its use is the sync_import row
    "phone_key",
}
# reset_code_hash: a one-time sign-in code; secret: a reminder channel's signing secret or SMTP password
_SECRET_COLUMNS = {"password_hash", "reset_code_hash", "secret"}


@contextlib.contextmanager
def acting_as(user_id: int | None, label: str):
    """Attribute writes outside a request (CLI, jobs) to someone."""
    token = _cli_actor.set((user_id, label))
    try:
        yield
    finally:
        _cli_actor.reset(token)


def current_actor() -> tuple[int | None, str, str]:
    """(user id, label, channel) of whoever is making the current change."""
    if has_request_context():
        if current_user and current_user.is_authenticated:
            return current_user.id, current_user.username, "api"
        return None, "anonymous", "api"
    user_id, label = _cli_actor.get()
    return user_id, label, "cli"


def _plain(value):
    if isinstance(value, datetime):
        return iso(value)  # the API's one time format: UTC with Z
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


def _changes(obj, only_modified: bool) -> dict:
    changes = {}
    for attr in inspect(obj).mapper.column_attrs:
        key = attr.key
        hist = inspect(obj).attrs[key].history
        if only_modified and not hist.has_changes():
            continue
        new = hist.added[0] if hist.added else getattr(obj, key)
        old = hist.deleted[0] if hist.deleted else None
        if key in _SECRET_COLUMNS:
            old, new = ("***" if old else None), ("***" if new else None)
        changes[key] = [_plain(old), _plain(new)] if only_modified else _plain(new)
    return changes


def _audited(obj) -> bool:
    return getattr(obj, "__tablename__", None) not in _SKIP_TABLES


def _before_flush(session: Session, flush_context, instances) -> None:
    pending = session.info.setdefault("audit_pending", [])
    for obj in list(session.new):
        if _audited(obj):
            pending.append((obj, "create", None))
    for obj in list(session.dirty):
        if _audited(obj) and session.is_modified(obj, include_collections=False):
            pending.append((obj, "update", _changes(obj, only_modified=True)))
    for obj in list(session.deleted):
        if _audited(obj):
            pending.append((obj, "delete", _changes(obj, only_modified=False)))


def _after_flush(session: Session, flush_context) -> None:
    pending = session.info.pop("audit_pending", [])
    if not pending:
        return
    actor_id, label, channel = current_actor()
    rows = []
    for obj, action, changes in pending:
        if action == "create":
            changes = _changes(obj, only_modified=False)
        identity = inspect(obj).mapper.primary_key_from_instance(obj)
        rows.append(
            {
                "at": utcnow(),
                "actor_id": actor_id,
                "actor_label": label,
                "channel": channel,
                "action": action,
                "entity": obj.__tablename__,
                "entity_id": ",".join(str(v) for v in identity),
                "changes": changes,
            }
        )
    session.connection().execute(sa.insert(AuditLog), rows)


def install_hooks() -> None:
    """Attach the flush hooks to every ORM session (idempotent)."""
    if not event.contains(Session, "before_flush", _before_flush):
        event.listen(Session, "before_flush", _before_flush)
        event.listen(Session, "after_flush", _after_flush)
